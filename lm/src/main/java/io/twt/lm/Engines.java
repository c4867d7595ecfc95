package io.twt.lm;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** DJL engine settings shared by every entry point of the module; they must run before libtorch loads. */
final class Engines {

    /** libc's setenv, through JNA (a DJL dependency): the JVM itself cannot change its environment. */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private Engines() {
    }

    /**
     * DJL must never download (natives come from Maven Central jars on the class path); an explicit
     * ai.djl.offline=false from the user still wins. libtorch's OpenMP threads wait passively unless
     * OMP_WAIT_POLICY says otherwise: spinning threads on a shared 2-core machine made training 25x slower
     * (1,149 vs 47 tokens/s for the tiny model at load 12), while an idle machine loses little.
     */
    static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            Native.load("c", LibC.class).setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
    }
}
