package io.twt.compression.domain;

/** Measures a rationale's length in the student's units: its tokenizer's tokens, or whitespace words without one. */
public interface TokenCounter {

    int count(String text);

    /** Whitespace-separated words: the measure when no student tokenizer is configured. */
    TokenCounter WORDS = text -> {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    };
}
