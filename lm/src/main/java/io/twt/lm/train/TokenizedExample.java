package io.twt.lm.train;

/**
 * One example as token ids: the prompt's tokens, then the completion's and an eos; the loss covers the positions
 * from {@code promptLength} on.
 *
 * @param task       which task of a multi-task objective the example belongs to; null for the one task of plain SFT
 * @param taskWeight that task's weight in the loss ({@link TaskMeans}); the same on every example of a task
 */
public record TokenizedExample(long[] ids, int promptLength, String task, double taskWeight) {

    /** An example of plain SFT: one task, weight 1, so the loss is the mean over every completion token. */
    public TokenizedExample(long[] ids, int promptLength) {
        this(ids, promptLength, null, 1.0);
    }

    /** Tokens the loss is computed on (every id after the prompt). */
    public int targetTokens() {
        return Math.max(0, ids.length - Math.max(1, promptLength));
    }
}
