package io.twt.compression.outgoing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.compression.domain.TokenCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerCounterTest {

    /** A word-level tokenizer.json in Hugging Face's format whose pre-tokenizer splits punctuation off words. */
    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
             "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
             "model": {"type": "WordLevel", "unk_token": "[UNK]",
                       "vocab": {"[UNK]": 0, "Tom": 1, "has": 2, "3": 3, "apples": 4, ".": 5}}}
            """;

    @TempDir
    Path modelDir;

    @Test
    void countsTheStudentsTokensNotWords() throws Exception {
        Files.writeString(modelDir.resolve("tokenizer.json"), TOKENIZER_JSON);
        TokenizerCounter counter = new TokenizerCounter(modelDir);
        assertEquals(5, counter.count("Tom has 3 apples."), "the full stop is a token of its own");
        assertEquals(4, TokenCounter.WORDS.count("Tom has 3 apples."));
        assertEquals(10, counter.count("Tom has 3 apples. Tom has 3 apples."), "no special tokens added");
    }

    @Test
    void missingTokenizerIsReportedAtTheFirstCount() {
        TokenizerCounter counter = new TokenizerCounter(modelDir);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> counter.count("x"));
        assertTrue(e.getMessage().contains("tokenizer.json"));
    }
}
