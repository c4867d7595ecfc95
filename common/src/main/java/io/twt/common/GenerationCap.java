package io.twt.common;

/**
 * How many tokens a student may generate for a batch of prompts: the configured limit, what its context leaves
 * after the longest prompt, and, where known, room for the longest completion it was trained to write. A student
 * that never stops then runs to about what it was taught, not to the paper's 2048 tokens.
 *
 * @param maxNewTokens     the configured limit (the paper's 2048 for eval)
 * @param completionFactor how many times the longest training completion a generation may run
 * @param completionMargin tokens added to that, so that a short completion still leaves room to stop
 */
public record GenerationCap(int maxNewTokens, double completionFactor, int completionMargin) {

    public GenerationCap {
        if (maxNewTokens < 1 || completionFactor <= 0 || completionMargin < 0) {
            throw new IllegalArgumentException("cap needs max-new-tokens >= 1, factor > 0, margin >= 0: "
                    + maxNewTokens + ", " + completionFactor + ", " + completionMargin);
        }
    }

    /** The completion-derived cap: factor x the longest completion + margin. */
    public int fromCompletion(int longestCompletionTokens) {
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(completionFactor * longestCompletionTokens) + completionMargin);
    }

    /**
     * The limit for one batch; at least 1, since a generation writes at least one token.
     *
     * @param contextTokens       the model's context (max_position_embeddings)
     * @param longestPromptTokens the batch's longest prompt, in the model's tokens
     * @param completionCap       a cap from {@link #fromCompletion} or another measure; null when none is known
     */
    public int forBatch(int contextTokens, int longestPromptTokens, Integer completionCap) {
        int cap = Math.min(maxNewTokens, contextTokens - longestPromptTokens);
        if (completionCap != null) {
            cap = Math.min(cap, completionCap);
        }
        return Math.max(1, cap);
    }
}
