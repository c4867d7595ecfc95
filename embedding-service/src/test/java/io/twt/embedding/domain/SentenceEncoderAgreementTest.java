package io.twt.embedding.domain;

import io.twt.common.Cosine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL encoder against an independent implementation of the same model: langchain4j's in-process one. */
class SentenceEncoderAgreementTest {

    static final List<String> TEXTS = List.of(
            "6 * 7 = 42, so the answer is 42.",
            "First, Natalia sold 48 clips in April. In May she sold half as many: 48 / 2 = 24. Altogether 48 + 24 = 72.",
            "def is_prime(n):\n    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))",
            "A revolving door is convenient for two-direction travel, but it also serves as a security measure at a bank.",
            "Let x be the number of apples. Then 3x + 5 = 20, hence 3x = 15 and x = 5. Check: 3 * 5 + 5 = 20. Answer: 5",
            "ok");

    private static Path cache;
    private static SentenceEncoder encoder;
    private static AllMiniLmL6V2EmbeddingModel reference;

    @BeforeAll
    static void load() throws Exception {
        cache = Files.createTempDirectory("embedding-cache");
        encoder = SentenceEncoder.load(EncoderSettings.bundledMiniLm(cache, 4));
        reference = new AllMiniLmL6V2EmbeddingModel();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void batchedVectorsMatchLangchain4jsModelForEveryText() {
        List<float[]> ours = encoder.embed(TEXTS);
        assertEquals(TEXTS.size(), ours.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] theirs = reference.embed(TextSegment.from(TEXTS.get(i))).content().vector();
            assertEquals(384, ours.get(i).length);
            double similarity = Cosine.similarity(ours.get(i), theirs);
            assertTrue(similarity >= 0.999, "text " + i + ": cosine " + similarity);
        }
    }

    @Test
    void vectorsAreUnitLength() {
        for (float[] vector : encoder.embed(TEXTS)) {
            assertEquals(1.0, Math.sqrt(dot(vector, vector)), 1e-5);
        }
    }

    @Test
    void aTextEmbedsTheSameAloneAsInABatchOfPaddedNeighbours() {
        List<float[]> batch = encoder.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] alone = encoder.embed(List.of(TEXTS.get(i))).get(0);
            assertTrue(Cosine.similarity(alone, batch.get(i)) > 0.99999, "text " + i + " changed with padding");
        }
    }

    @Test
    void aTextLongerThanTheWindowIsTheLengthWeightedMeanOfItsWindows() {
        // one word piece per word, so 40 words are 40 tokens: windows of 14 + 14 + 12 with a 16-token window
        List<String> words = new ArrayList<>();
        String[] vocabulary = {"the", "cat", "sat", "on", "a", "red", "mat", "and", "dog", "ran", "to", "big", "house"};
        for (int i = 0; i < 40; i++) {
            words.add(vocabulary[(i * 7) % vocabulary.length]);
        }
        try (SentenceEncoder narrow = SentenceEncoder.load(new EncoderSettings(BundledMiniLm.NAME, Optional.empty(),
                Optional.empty(), SentenceEncoder.ONNX_RUNTIME, 16, 4, Optional.empty(), cache, 0))) {
            float[] whole = narrow.embed(List.of(String.join(" ", words))).get(0);
            List<String> slices = List.of(String.join(" ", words.subList(0, 14)), String.join(" ", words.subList(14, 28)),
                    String.join(" ", words.subList(28, 40)));
            List<float[]> parts = narrow.embed(slices);
            // each part is normalised, but equal-length slices of one text have near-equal norms; use raw weights
            float[] expected = Pooling.l2Normalize(Pooling.weightedAverage(parts, List.of(16, 16, 14)));
            double similarity = Cosine.similarity(whole, expected);
            assertTrue(similarity > 0.999, "cosine " + similarity);
            float[] firstWindowOnly = parts.get(0);
            assertTrue(Cosine.similarity(whole, firstWindowOnly) < 0.99, "the text was truncated to its first window");
        }
    }

    @Test
    void thePlanPutsEveryWindowInOnePassPaddedToItsLongest() {
        List<String> texts = new ArrayList<>(TEXTS);
        texts.add("the ".repeat(300)); // 300 one-piece words: windows of 254 + 46 tokens, each with [CLS] and [SEP]
        List<PassShape> passes = encoder.plan(texts);
        int[] lengths = passes.stream().flatMapToInt(p -> java.util.Arrays.stream(p.lengths())).toArray();
        assertEquals(TEXTS.size() + 2, lengths.length);
        for (PassShape pass : passes) {
            assertTrue(pass.rows() <= 4, "batch size 4");
            assertEquals(pass.lengths()[pass.rows() - 1], pass.paddedLength());
            assertEquals((long) pass.rows() * pass.paddedLength(), pass.cells());
        }
        for (int i = 1; i < lengths.length; i++) {
            assertTrue(lengths[i - 1] <= lengths[i], "windows run shortest first");
        }
        assertEquals(BundledMiniLm.MAX_TOKENS, lengths[lengths.length - 1]);
        assertTrue(java.util.Arrays.stream(lengths).anyMatch(length -> length == 48), "the long text's second window");
    }

    @Test
    void aModelUrlLoadsThroughDjlsRepository() {
        String url = BundledMiniLm.extractTo(cache).toUri().toString();
        try (SentenceEncoder byUrl = SentenceEncoder.load(new EncoderSettings(BundledMiniLm.NAME, Optional.empty(),
                Optional.of(url), SentenceEncoder.ONNX_RUNTIME, BundledMiniLm.MAX_TOKENS, 4, Optional.empty(), cache, 1))) {
            List<float[]> expected = encoder.embed(TEXTS);
            List<float[]> actual = byUrl.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertTrue(Cosine.similarity(expected.get(i), actual.get(i)) > 0.99999, "text " + i);
            }
        }
    }

    @Test
    void refusesAnOnnxModelThatPoolsOtherwiseThanByMean(@TempDir Path dir) throws Exception {
        Path bundled = BundledMiniLm.extractTo(cache);
        Files.createSymbolicLink(dir.resolve("model.onnx"), bundled.resolve("model.onnx"));
        Files.copy(bundled.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("serving.properties"), "engine=OnnxRuntime\npooling=cls\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SentenceEncoder.load(new EncoderSettings(
                BundledMiniLm.NAME, Optional.of(dir), Optional.empty(), SentenceEncoder.ONNX_RUNTIME, BundledMiniLm.MAX_TOKENS,
                4, Optional.empty(), cache, 1)));
        assertTrue(e.getMessage().contains("pooling=cls"), e.getMessage());
    }

    private static double dot(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
