package io.twt.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.twt.lm.model.Linear;
import io.twt.lm.train.Batch;
import io.twt.lm.train.CausalLmLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The masked training loss and the LoRA gradients equal the PyTorch reference's. */
class GoldenLossAndGradientsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void maskedLossAndLoraGradientsMatchTheReference(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        JsonNode lora = golden.get("lora");
        try (StudentModel model = StudentModel.load(Fixtures.dir(fixture), Fixtures.dir(fixture).resolve("adapter"))) {
            Linear module = model.llama().projections().stream()
                    .filter(l -> l.name().equals(lora.get("grad_module").asText())).findFirst().orElseThrow();
            Batch batch = Batch.fromLabels(Fixtures.longs2(golden.get("input_ids")), Fixtures.longs2(lora.get("labels")));
            module.loraA().setRequiresGradient(true);
            module.loraB().setRequiresGradient(true);
            try (NDScope scope = new NDScope();
                 GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                scope.suppressNotUsedWarning();
                NDArray loss = CausalLmLoss.of(model.llama(), batch, batch.targetTokens(), false);
                collector.backward(loss);
                assertEquals(lora.get("loss").asDouble(), loss.getFloat(), golden.at("/tolerance/loss_abs").asDouble());
                double rel = golden.at("/tolerance/grad_rel").asDouble();
                assertClose(lora.get("grad_lora_A"), module.loraA().getGradient().toFloatArray(), rel, "lora_A");
                assertClose(lora.get("grad_lora_B"), module.loraB().getGradient().toFloatArray(), rel, "lora_B");
            } finally {
                module.loraA().setRequiresGradient(false);
                module.loraB().setRequiresGradient(false);
            }
        }
    }

    /** max |actual - expected| <= rel * max |expected| over the (flattened) matrix. */
    private static void assertClose(JsonNode expected, float[] actual, double rel, String what) {
        double scale = 0;
        double worst = 0;
        int i = 0;
        for (JsonNode row : expected) {
            for (JsonNode value : row) {
                scale = Math.max(scale, Math.abs(value.asDouble()));
                worst = Math.max(worst, Math.abs(value.asDouble() - actual[i++]));
            }
        }
        assertEquals(i, actual.length, what + " element count");
        assertTrue(scale > 0, what + " reference gradient is zero");
        assertTrue(worst <= rel * scale, what + " max |diff| " + worst + " vs scale " + scale);
    }
}
