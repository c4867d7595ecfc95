package io.twt.cli;

/** A one-line progress bar on stderr with rate and ETA; silent when stderr is not a terminal and work is short. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long lastPrinted;

    ProgressBar(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
    }

    void step(long done) {
        long now = System.nanoTime();
        if (now - lastPrinted < 200_000_000L && done < total) {
            return;
        }
        lastPrinted = now;
        double seconds = (now - started) / 1e9;
        double rate = done / Math.max(seconds, 1e-3);
        long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
        int filled = (int) (WIDTH * done / total);
        System.err.printf("\r%-8s [%s%s] %d/%d  %.0f/s  ETA %ds ", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, total, rate, eta);
    }

    void done() {
        step(total);
        System.err.println();
    }
}
