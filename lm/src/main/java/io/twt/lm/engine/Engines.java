package io.twt.lm.engine;

/** DJL engine settings shared by every entry point of the module; they must run before libtorch loads. */
public final class Engines {

    private Engines() {
    }

    /**
     * DJL must never download (natives come from Maven Central jars on the class path); an explicit
     * ai.djl.offline=false from the user still wins. Then OpenMP's waiting and oneMKL's kernels
     * ({@link NativeKernels}).
     */
    public static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        NativeKernels.prepare();
    }
}
