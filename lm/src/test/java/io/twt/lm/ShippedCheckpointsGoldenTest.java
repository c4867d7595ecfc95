package io.twt.lm;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints as they ship (phi3 with longrope, partial rotary and head_dim apart; yarn; llama3; bf16 shards) give
 * the logits of the independent PyTorch reference in src/test/python/make_rope_fixtures.py.
 */
class ShippedCheckpointsGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"phi3-longrope-tiny", "llama-yarn-tiny", "llama-llama3-tiny"})
    void logitsMatchTheReferenceForShortAndLongSequences(String fixture) {
        Path dir = Fixtures.resource(fixture);
        JsonNode golden = Fixtures.goldenAt(dir);
        double tolerance = golden.at("/tolerance/logits_abs").asDouble();
        try (StudentModel model = StudentModel.load(dir, null)) {
            double shortDiff = Fixtures.maxAbsDiff(model.logits(Fixtures.longs2(golden.get("input_ids"))), golden.get("logits"));
            assertTrue(shortDiff <= tolerance, fixture + " short max |diff| " + shortDiff);
            double longDiff = Fixtures.maxAbsDiff(model.logits(Fixtures.longs2(golden.get("long_input_ids"))),
                    golden.get("long_logits"));
            assertTrue(longDiff <= tolerance, fixture + " long max |diff| " + longDiff);
        }
    }

    /** Positions 0..15 of the 24-token input give other logits alone (short factors) than within it (long factors). */
    @Test
    void longRopeSwitchesToTheLongFactorsPastTheOriginalContext() {
        Path dir = Fixtures.resource("phi3-longrope-tiny");
        JsonNode golden = Fixtures.goldenAt(dir);
        long[] ids = Fixtures.longs(golden.get("long_input_ids").get(0));
        try (StudentModel model = StudentModel.load(dir, null)) {
            float[][][] prefix = model.logits(new long[][] {Arrays.copyOf(ids, 16)});
            double worst = 0;
            for (int t = 1; t < 16; t++) {
                for (int v = 0; v < prefix[0][t].length; v++) {
                    worst = Math.max(worst, Math.abs(prefix[0][t][v] - golden.at("/long_logits/0/" + t + "/" + v).asDouble()));
                }
            }
            assertTrue(worst > 100 * golden.at("/tolerance/logits_abs").asDouble(), "regimes differ by only " + worst);
        }
    }

    @Test
    void bf16ShardsLoadToTheLogitsOfTheRoundedWeights() {
        Path dir = Fixtures.resource("phi3-longrope-tiny");
        JsonNode golden = Fixtures.goldenAt(dir);
        try (StudentModel model = StudentModel.load(dir.resolve("bf16-sharded"), null)) {
            float[][][] shortLogits = model.logits(Fixtures.longs2(golden.get("input_ids")));
            float[][][] longLogits = model.logits(Fixtures.longs2(golden.get("long_input_ids")));
            double exact = Math.max(Fixtures.maxAbsDiff(shortLogits, golden.at("/bf16/logits")),
                    Fixtures.maxAbsDiff(longLogits, golden.at("/bf16/long_logits")));
            assertTrue(exact <= golden.at("/tolerance/logits_abs").asDouble(), "bf16 weights max |diff| " + exact);
            double vsFp32 = Math.max(Fixtures.maxAbsDiff(shortLogits, golden.get("logits")),
                    Fixtures.maxAbsDiff(longLogits, golden.get("long_logits")));
            assertTrue(vsFp32 <= golden.at("/tolerance/bf16_vs_fp32_logits_abs").asDouble(), "bf16 vs fp32 " + vsFp32);
        }
    }
}
