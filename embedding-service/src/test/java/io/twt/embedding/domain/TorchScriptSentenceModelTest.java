package io.twt.embedding.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.common.Cosine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch engine path on a tiny TorchScript BERT laid out as djl-convert lays out a sentence-transformers
 * model (src/test/python/make_tiny_sentence_model.py): vectors against the ones python computed with
 * sentence-transformers' mean pooling and L2 normalisation.
 */
class TorchScriptSentenceModelTest {

    private static Path model;
    private static int maxTokens;
    private static List<String> texts;
    private static List<float[]> expected;

    @BeforeAll
    static void readExpected() throws Exception {
        model = Path.of(TorchScriptSentenceModelTest.class.getResource("/tiny-torchscript").toURI());
        JsonNode json = new ObjectMapper().readTree(model.resolve("expected.json").toFile());
        maxTokens = json.get("maxTokens").asInt();
        texts = new ArrayList<>();
        json.get("texts").forEach(text -> texts.add(text.asText()));
        expected = new ArrayList<>();
        for (JsonNode vector : json.get("vectors")) {
            float[] values = new float[vector.size()];
            for (int d = 0; d < values.length; d++) {
                values[d] = (float) vector.get(d).asDouble();
            }
            expected.add(values);
        }
    }

    @Test
    void matchesSentenceTransformersPoolingOnPyTorch() {
        // batches of 3 mix lengths, so rows are padded and masked; serving.properties says token_type_ids
        try (SentenceEncoder encoder = SentenceEncoder.load(settings(model, Optional.empty()))) {
            assertMatches(encoder.embed(texts), "batched");
            List<float[]> oneByOne = new ArrayList<>();
            for (String text : texts) {
                oneByOne.add(encoder.embed(List.of(text)).get(0));
            }
            assertMatches(oneByOne, "one by one");
        }
    }

    @Test
    void loadsATorchScriptFileOfAnyNameFromAPlainDirectory(@TempDir Path dir) throws Exception {
        // what a user traces by hand: no serving.properties, so token_type_ids is set explicitly
        Files.copy(model.resolve("tiny-bert.pt"), dir.resolve("traced.pt"));
        Files.copy(model.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (SentenceEncoder encoder = SentenceEncoder.load(settings(dir, Optional.of(true)))) {
            assertMatches(encoder.embed(texts), "plain directory");
        }
    }

    @Test
    void refusesAModelThatPoolsOtherwiseThanByMean(@TempDir Path dir) throws Exception {
        Files.copy(model.resolve("tiny-bert.pt"), dir.resolve("tiny-bert.pt"));
        Files.copy(model.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("serving.properties"), "engine=PyTorch\npooling=cls\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SentenceEncoder.load(settings(dir, Optional.of(true))));
        assertTrue(e.getMessage().contains("pooling=cls"), e.getMessage());
    }

    private static EncoderSettings settings(Path dir, Optional<Boolean> tokenTypeIds) {
        return new EncoderSettings("tiny-bert", Optional.of(dir), Optional.empty(), SentenceEncoder.PYTORCH, maxTokens,
                3, tokenTypeIds, dir, 1);
    }

    private static void assertMatches(List<float[]> vectors, String how) {
        assertEquals(texts.size(), vectors.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(expected.get(i).length, vectors.get(i).length);
            double similarity = Cosine.similarity(vectors.get(i), expected.get(i));
            assertTrue(similarity >= 0.9999, how + ", text " + i + " (" + texts.get(i) + "): cosine " + similarity);
        }
    }
}
