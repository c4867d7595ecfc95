package io.twt.cli;

/** The launcher's own progress lines, on stderr so that stdout keeps the commands' results. */
final class Console {

    private Console() {
    }

    static void log(String line) {
        System.err.println("twt: " + line);
    }
}
