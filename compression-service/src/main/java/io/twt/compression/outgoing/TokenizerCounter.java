package io.twt.compression.outgoing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.twt.compression.domain.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Counts in the student's own tokens, from the {@code tokenizer.json} of its model directory. It is read at
 * the first count, not at start: the lab student is made by the trainer at its first round, and drafts (the
 * only thing counted) exist only after that round's first stage.
 */
public final class TokenizerCounter implements TokenCounter {

    private final Path file;
    private HuggingFaceTokenizer tokenizer;

    public TokenizerCounter(Path modelDir) {
        this.file = modelDir.resolve("tokenizer.json");
    }

    @Override
    public int count(String text) {
        return tokenizer().encode(text).getIds().length;
    }

    private synchronized HuggingFaceTokenizer tokenizer() {
        if (tokenizer == null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("no " + file + ": twt.compression.student-model-dir must hold the student's tokenizer");
            }
            try {
                // lengths must be the text's own: no special tokens, no truncation at the tokenizer's max length
                tokenizer = HuggingFaceTokenizer.newInstance(file,
                        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return tokenizer;
    }
}
