package io.twt.lm;

/**
 * One generated completion: the text (prompt excluded, stop string excluded), how many tokens the model
 * produced for it (eos excluded), and why generation ended.
 */
public record Generation(String text, int outputTokens, FinishReason finishReason) {

    /** Why a generation ended. */
    public enum FinishReason {
        /** the model produced an end-of-sequence token */
        EOS,
        /** the text reached one of the stop strings */
        STOP,
        /** maxNewTokens (or the model's context) was reached */
        LENGTH
    }
}
