package io.twt.lm;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.generate.Generator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java model reproduces the independent PyTorch reference's numbers for both golden checkpoints. */
class GoldenFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void baseLogitsMatchTheReference(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        try (StudentModel model = StudentModel.load(Fixtures.dir(fixture), null)) {
            float[][][] logits = model.logits(Fixtures.longs2(golden.get("input_ids")));
            double diff = Fixtures.maxAbsDiff(logits, golden.get("logits"));
            assertTrue(diff <= golden.at("/tolerance/logits_abs").asDouble(), fixture + " max |diff| " + diff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void loraLogitsMatchTheReference(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        try (StudentModel model = StudentModel.load(Fixtures.dir(fixture), Fixtures.dir(fixture).resolve("adapter"))) {
            assertEquals(golden.at("/lora/scaling").asDouble(), model.adapterConfig().scaling(), 1e-12);
            float[][][] logits = model.logits(Fixtures.longs2(golden.get("input_ids")));
            double diff = Fixtures.maxAbsDiff(logits, golden.at("/lora/logits"));
            assertTrue(diff <= golden.at("/tolerance/logits_abs").asDouble(), fixture + " max |diff| " + diff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void greedyTokensEqualTheReferenceWithAndWithoutKvCache(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        long[] prompt = Fixtures.longs(golden.get("greedy_prompt"));
        long[] expected = Fixtures.longs(golden.get("greedy_new_tokens"));
        try (StudentModel model = StudentModel.load(Fixtures.dir(fixture), null)) {
            for (boolean cached : new boolean[] {true, false}) {
                GenerationConfig config = GenerationConfig.greedy(expected.length).withKvCache(cached);
                List<Generator.Output> out = model.generateTokens(List.of(prompt), config, generated -> false);
                assertArrayEquals(expected, out.get(0).tokens(), fixture + " kv cache " + cached);
            }
        }
    }
}
