package io.twt.trainer.domain;

/**
 * When a new round starts: when G has grown by at least {@code minNewQueries} since the last round's
 * snapshot, or when one was requested and G has grown at all (a round on the same data would repeat the last).
 */
public record RoundTrigger(int minNewQueries) {

    public RoundTrigger {
        if (minNewQueries < 1) {
            throw new IllegalArgumentException("minNewQueries must be at least 1, got " + minNewQueries);
        }
    }

    public boolean shouldStart(int setSize, int lastSnapshotSize, boolean requested) {
        int arrived = setSize - lastSnapshotSize;
        return arrived >= minNewQueries || (requested && arrived > 0);
    }
}
