package io.twt.compression.outgoing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.twt.compression.domain.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Counts in the student's own tokens, from the {@code tokenizer.json} of its model directory. */
public final class TokenizerCounter implements TokenCounter {

    private final HuggingFaceTokenizer tokenizer;

    private TokenizerCounter(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static TokenizerCounter fromModelDir(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no tokenizer.json in the student model directory " + modelDir);
        }
        try {
            // lengths must be the text's own: no special tokens, no truncation at the tokenizer's max length
            return new TokenizerCounter(HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public int count(String text) {
        return tokenizer.encode(text).getIds().length;
    }
}
