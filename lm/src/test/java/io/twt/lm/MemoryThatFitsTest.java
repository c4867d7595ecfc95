package io.twt.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.ModelShape;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.model.Linear;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.train.Batch;
import io.twt.lm.train.CausalLmLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory savers change no result: attention in query chunks and per-layer recomputation give the full path's
 * logits, loss and LoRA gradients (fp32 round-off); fp16 weights on CPU (computing in fp32: DJL 0.36 aborts on
 * bf16 arrays and its toType cuts the graph) stay within stated tolerances of fp32. Fixtures: llama-tiny (GQA, untied head) and qwen2-tiny (biases, tied head), 2 x 9 tokens.
 */
class MemoryThatFitsTest {

    private static final double FP32_ABS = 1e-5; // logits and loss, chunked / recomputed vs full, fp32
    private static final double FP32_REL = 1e-5; // LoRA gradients: max |diff| / max |full|
    // fp16 weights (11 significant bits, relative step 4.9e-4), fp32 compute: measured on llama-tiny / qwen2-tiny,
    // logits 1.6e-3 / 3.5e-3, loss 1.9e-4 / 1.0e-4, LoRA gradients 9.6e-4 / 7.4e-3 of their scale; about 3x room
    private static final double FP16_LOGITS_ABS = 0.01;
    private static final double FP16_LOSS_ABS = 1e-3;
    private static final double FP16_GRAD_REL = 0.02;

    /** Loss and every LoRA A and B gradient, flattened, of one forward/backward pass. */
    private record Pass(float loss, float[] gradients) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void queryChunksGiveTheFullAttentionsLogitsAndGradients(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        try (StudentModel model = load(fixture)) {
            long[][] ids = Fixtures.longs2(golden.get("input_ids"));
            float[][][] full = model.logits(ids);
            Pass fullPass = pass(model, golden, false);
            model.llama().attentionChunk(2); // 9 queries in blocks of 2, 2, 2, 2, 1
            assertTrue(maxAbsDiff(model.logits(ids), full) <= FP32_ABS);
            Pass chunked = pass(model, golden, false);
            assertEquals(fullPass.loss(), chunked.loss(), FP32_ABS);
            assertClose(fullPass.gradients(), chunked.gradients(), FP32_REL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void recomputationGivesTheSameLossAndGradients(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        try (StudentModel model = load(fixture)) {
            Pass full = pass(model, golden, false);
            assertEquals(golden.at("/lora/loss").asDouble(), full.loss(), golden.at("/tolerance/loss_abs").asDouble());
            Pass recomputed = pass(model, golden, true);
            assertEquals(full.loss(), recomputed.loss(), FP32_ABS);
            assertClose(full.gradients(), recomputed.gradients(), FP32_REL);
            model.llama().attentionChunk(4);
            Pass both = pass(model, golden, true);
            assertClose(full.gradients(), both.gradients(), FP32_REL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void float16WeightsOnCpuStayNearFloat32(String fixture) {
        JsonNode golden = Fixtures.golden(fixture);
        try (StudentModel model = load(fixture)) {
            long[][] ids = Fixtures.longs2(golden.get("input_ids"));
            float[][][] fp32 = model.logits(ids);
            Pass fp32Pass = pass(model, golden, false);
            model.llama().castWeights(DataType.FLOAT16);
            LlamaModel llama = model.llama();
            assertEquals(DataType.FLOAT16, llama.parameters().get("model.layers.0.self_attn.q_proj.weight").getDataType());
            for (Linear linear : llama.projections()) {
                if (linear.loraA() != null) {
                    assertEquals(DataType.FLOAT32, linear.loraA().getDataType(), linear.name() + " LoRA stays fp32");
                }
            }
            double logits = maxAbsDiff(model.logits(ids), fp32);
            assertTrue(logits > 0, "fp16 must change the logits (the weights were cast)");
            assertTrue(logits <= FP16_LOGITS_ABS, "fp16 logits differ by " + logits);
            Pass fp16 = pass(model, golden, true);
            assertEquals(fp32Pass.loss(), fp16.loss(), FP16_LOSS_ABS);
            assertClose(fp32Pass.gradients(), fp16.gradients(), FP16_GRAD_REL);
        }
    }

    @Test
    void trainingWithRecomputationAndChunksEndsWithThePlainRunsAdapter(@TempDir Path tmp) {
        Path base = ModelFactory.createRandom(tmp.resolve("base"), new ModelShape(400, 32, 64, 2, 2, 1, 128),
                SyntheticTask.corpus(), 5L);
        TrainingConfig plain = TrainingConfig.builder().lora(new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj", "down_proj")))
                .learningRate(1e-2).batchSize(8).epochs(1).maxLength(32).seed(3).build();
        float[] reference;
        try (StudentModel model = StudentModel.load(base, null)) {
            new SftTrainer(model, plain).train(SyntheticTask.train(), p -> { });
            reference = adapter(model);
        }
        try (StudentModel model = StudentModel.load(base, null)) {
            new SftTrainer(model, plain.toBuilder().recompute(true).attentionChunk(5).build()).train(SyntheticTask.train(), p -> { });
            assertClose(reference, adapter(model), FP32_REL); // measured 2.4e-7
        }
        try (StudentModel model = StudentModel.load(base, null)) {
            TrainingConfig half = plain.toBuilder().dtype(DataType.FLOAT16).recompute(true).attentionChunk(5).build();
            new SftTrainer(model, half).train(SyntheticTask.train(), p -> { });
            assertEquals(DataType.FLOAT16, model.llama().weightType());
            assertClose(reference, adapter(model), FP16_GRAD_REL); // measured 1.4e-3 of the adapter's scale
        }
    }

    @Test
    void halfPrecisionSettingsThatCannotWorkAreRefused() {
        IllegalArgumentException bf16 = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().dtype(DataType.BFLOAT16).build());
        assertTrue(bf16.getMessage().contains("DJL 0.36"), bf16.getMessage());
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().fullFineTuning().dtype(DataType.FLOAT16).build());
        assertTrue(full.getMessage().contains("LoRA only"), full.getMessage());
    }

    /** Every LoRA A and B of the model, flattened in module order. */
    private static float[] adapter(StudentModel model) {
        List<float[]> parts = new ArrayList<>();
        for (Linear linear : model.llama().projections()) {
            if (linear.loraA() != null) {
                parts.add(linear.loraA().toFloatArray());
                parts.add(linear.loraB().toFloatArray());
            }
        }
        return concat(parts);
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static StudentModel load(String fixture) {
        return StudentModel.load(Fixtures.dir(fixture), Fixtures.dir(fixture).resolve("adapter"));
    }

    /** One forward/backward pass on the fixture's LoRA labels, plain or with recomputation. */
    private static Pass pass(StudentModel model, JsonNode golden, boolean recompute) {
        Batch batch = Batch.fromLabels(Fixtures.longs2(golden.get("input_ids")), Fixtures.longs2(golden.at("/lora/labels")));
        List<NDArray> lora = new ArrayList<>();
        for (Linear linear : model.llama().projections()) {
            if (linear.loraA() != null) {
                lora.add(linear.loraA());
                lora.add(linear.loraB());
            }
        }
        lora.forEach(p -> p.setRequiresGradient(true));
        try (NDScope scope = new NDScope();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            scope.suppressNotUsedWarning();
            float loss;
            if (recompute) {
                loss = CausalLmLoss.backwardRecomputed(model.llama(), batch, batch.targetTokens(), false, collector, 7);
            } else {
                NDArray value = CausalLmLoss.of(model.llama(), batch, batch.targetTokens(), false);
                collector.backward(value);
                loss = value.getFloat();
            }
            List<float[]> parts = new ArrayList<>();
            for (NDArray p : lora) {
                parts.add(p.getGradient().toFloatArray());
                JniUtils.zeroGrad((PtNDArray) p); // libtorch adds the next pass's gradients to these
            }
            return new Pass(loss, concat(parts));
        } finally {
            lora.forEach(p -> p.setRequiresGradient(false));
        }
    }

    private static double maxAbsDiff(float[][][] a, float[][][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                for (int v = 0; v < a[i][t].length; v++) {
                    worst = Math.max(worst, Math.abs(a[i][t][v] - b[i][t][v]));
                }
            }
        }
        return worst;
    }

    /** max |actual - expected| <= rel * max |expected|. */
    private static void assertClose(float[] expected, float[] actual, double rel) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0, "reference gradients are zero");
        assertTrue(worst <= rel * scale, "max |diff| " + worst + " vs scale " + scale + " (" + worst / scale + ")");
    }
}
