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
            // digits stay single tokens, so a number-heavy line compresses less than plain words would
            assertTrue(ids.length < seen.length() / 2, ids.length + " tokens for " + seen.length() + " chars");
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

    @Test
    void everyDigitIsATokenOfItsOwnEvenInFrequentNumbers() {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            corpus.add("Compute 128*4-12. 128*4=512; 512-12=500\n#### 500 and 2026 again 2026");
        }
        Path file = tmp.resolve("tokenizer.json");
        BpeTrainer.train(corpus, 600, file);
        try (TextTokenizer tokenizer = TextTokenizer.load(file)) {
            for (String number : List.of("500", "2026", " 512", "7")) {
                long[] ids = tokenizer.encode(number, false);
                long digits = number.chars().filter(Character::isDigit).count();
                assertEquals(digits + (number.startsWith(" ") ? 1 : 0), ids.length, number + " -> " + ids.length + " tokens");
                assertEquals(number, tokenizer.decode(ids));
            }
        }
    }
}
