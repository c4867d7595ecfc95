package io.twt.lm;

/** DJL engine settings shared by every entry point of the module. */
final class Engines {

    private Engines() {
    }

    /**
     * DJL must never download (natives come from Maven Central jars on the class path); an explicit
     * ai.djl.offline=false from the user still wins.
     */
    static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
