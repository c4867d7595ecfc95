package io.twt.lm.train;

/**
 * One example as token ids: the prompt's tokens, then the completion's and an eos; the loss covers the positions
 * from {@code promptLength} on.
 */
public record TokenizedExample(long[] ids, int promptLength) {

    /** Tokens the loss is computed on (every id after the prompt). */
    public int targetTokens() {
        return Math.max(0, ids.length - Math.max(1, promptLength));
    }
}
