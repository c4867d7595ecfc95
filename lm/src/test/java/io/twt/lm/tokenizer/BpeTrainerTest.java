package io.twt.lm.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learnt byte-level BPE loads in DJL's tokenizer, encodes any text reversibly (untruncated) and compresses its corpus. */
class BpeTrainerTest {

    @TempDir
    Path tmp;

    @Test
    void learntTokenizerRoundTripsAnyTextAndCompressesTheCorpus() {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            corpus.add("Problem: what is " + i + " plus " + (i * 3) + "?\nSolution:\nadd them\n#### " + (i * 4));
        }
        Path file = tmp.resolve("tokenizer.json");
        int vocab = BpeTrainer.train(corpus, 400, file);
        assertTrue(vocab > 259 && vocab <= 400, "vocab " + vocab);
        try (TextTokenizer tokenizer = TextTokenizer.load(file)) {
            String seen = corpus.get(7);
            long[] ids = tokenizer.encode(seen, false);
            assertTrue(ids.length < seen.length() / 3, ids.length + " tokens for " + seen.length() + " chars");
            assertEquals(seen, tokenizer.decode(ids));
            String unseen = "def f(x):\n\treturn x ** 2  # Größe, 数字 🙂";
            assertEquals(unseen, tokenizer.decode(tokenizer.encode(unseen, false)));
            String longText = "zq! ".repeat(700); // far past DJL's default 512-token truncation
            long[] longIds = tokenizer.encode(longText, true);
            assertTrue(longIds.length > 1400, longIds.length + " tokens");
            assertEquals(longText, tokenizer.decode(longIds));
            long[] withBos = tokenizer.encode("Problem:", true);
            assertEquals(BpeTrainer.BOS_ID, withBos[0]);
            assertEquals(tokenizer.encode("Problem:", false).length + 1, withBos.length);
        }
    }
}
