package io.twt.lm;

import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.TrainingConfig;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner counts the published parameter totals and refuses a stage that cannot fit the device. */
class MemoryPlanTest {

    private static final long GIB = 1L << 30;

    private static LlamaConfig shapes(String model) {
        return LlamaConfig.read(Path.of("src/test/resources/plan", model, "config.json"));
    }

    private static LoraConfig paperLora() {
        return LoraConfig.paperPreset();
    }

    @Test
    void parameterCountsEqualThePublishedTotals() {
        MemoryPlan mistral = MemoryPlan.of(shapes("mistral-7b-v0.3"), 8, 4096, paperLora(), 2, 0, false);
        assertEquals(7_248_023_552L, mistral.parameters());
        assertEquals(6_815_744L, mistral.trainableParameters()); // PEFT's count for r=8 on q, k, v, o
        assertEquals(2 * 7_248_023_552L + 4 * 6_815_744L, mistral.weights());
        MemoryPlan phi = MemoryPlan.of(shapes("phi-3.5-mini-instruct"), 8, 4096, paperLora(), 2, 0, false);
        assertEquals(3_821_079_552L, phi.parameters());
        // r=8 on the fused qkv_proj (3072 -> 9216) and o_proj (3072 -> 3072), 32 layers
        assertEquals(32L * 8 * ((3072 + 9216) + (3072 + 3072)), phi.trainableParameters());
    }

    @Test
    void refusesThePaperPresetWithEagerAttentionOnOneEightyGigabyteDevice() {
        for (String model : new String[] {"mistral-7b-v0.3", "phi-3.5-mini-instruct"}) {
            MemoryPlan plan = MemoryPlan.of(shapes(model), 8, 4096, paperLora(), 2, 0, false);
            assertFalse(plan.fits(80 * GIB), model);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> plan.requireFits(80 * GIB));
            assertTrue(refused.getMessage().contains("activations"), refused.getMessage());
        }
    }

    @Test
    void aShortSingleExampleBf16LoraStageFits() {
        MemoryPlan plan = MemoryPlan.of(shapes("phi-3.5-mini-instruct"), 1, 512, paperLora(), 2, 0, false);
        assertTrue(plan.fits(80 * GIB), plan.lines().toString());
        assertTrue(plan.activations() < plan.weights(), plan.lines().toString());
    }

    @Test
    void attentionScoresGrowWithTheSquareOfTheContext() {
        LlamaConfig c = shapes("mistral-7b-v0.3");
        long at1k = MemoryPlan.of(c, 1, 1024, paperLora(), 4, 0, false).activations();
        long at2k = MemoryPlan.of(c, 1, 2048, paperLora(), 4, 0, false).activations();
        assertTrue(at2k > 2 * at1k, at1k + " -> " + at2k);
    }

    @Test
    void queryChunksLeaveOnlyOneChunksScoresBesideTheProbabilities() {
        LlamaConfig c = shapes("mistral-7b-v0.3");
        long whole = MemoryPlan.of(c, 1, 4096, paperLora(), 2, 0, false).activations();
        long chunked = MemoryPlan.of(c, 1, 4096, paperLora(), 2, 512, false).activations();
        // per layer, the (1, 32, 4096, 4096) scores shrink to (1, 32, 512, 4096), fp32
        assertEquals(32L * 32 * 4096 * (4096 - 512) * 4, whole - chunked);
    }

    @Test
    void recomputationAndChunksLetThePaperStageFitOneEightyGigabyteGpu() {
        LlamaConfig c = shapes("mistral-7b-v0.3");
        TrainingConfig paper = TrainingConfig.builder().dtype(DataType.FLOAT16).build();
        assertFalse(MemoryPlan.of(c, paper).fits(80 * GIB));
        TrainingConfig fitting = paper.toBuilder().attentionChunk(512).recompute(true).build();
        MemoryPlan plan = MemoryPlan.of(c, fitting);
        assertTrue(plan.fits(80 * GIB), plan.lines().toString());
        // every layer keeps only its (8, 4096, 4096) fp32 input: 32 x 512 MiB
        MemoryPlan noRecompute = MemoryPlan.of(c, fitting.toBuilder().recompute(false).build());
        assertTrue(plan.activations() * 5 < noRecompute.activations(), plan.activations() + " vs " + noRecompute.activations());
    }
}
