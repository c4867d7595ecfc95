package io.twt.eval.domain.scoring;

/** What a model answered to one example, and how many tokens that took (counted with the student's tokenizer). */
public record ModelOutput(String text, int outputTokens) {
}
