package io.twt.lm;

import ai.djl.ndarray.NDArray;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.ModelShape;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.model.Linear;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A run killed mid-way and resumed from its last checkpoint ends with the same weights as an unbroken run. */
class ResumeTest {

    /** A model small enough that three runs take seconds. */
    private static final ModelShape SHAPE = new ModelShape(400, 32, 64, 2, 2, 1, 128);

    @TempDir
    static Path tmp;
    private static Path base;

    @BeforeAll
    static void createModel() {
        base = ModelFactory.createRandom(tmp.resolve("base"), SHAPE, SyntheticTask.corpus(), 3L);
    }

    @Test
    void loraRunResumedAfterACrashEndsWithTheSameAdapter() {
        assertSameFinalWeights(dir -> TrainingConfig.builder()
                .lora(new LoraConfig(4, 8, 0.1, List.of("q_proj", "v_proj", "down_proj")))
                .learningRate(1e-2).batchSize(8).gradAccumulation(2).epochs(2).maxLength(32).seed(11)
                .checkpointDir(dir).checkpointEvery(3).build(), "lora");
    }

    @Test
    void fullFineTuningResumedAfterACrashEndsWithTheSameWeights() {
        assertSameFinalWeights(dir -> TrainingConfig.builder().fullFineTuning().learningRate(1e-3).weightDecay(0.1)
                .batchSize(16).epochs(2).maxLength(32).seed(5).checkpointDir(dir).checkpointEvery(3).build(), "full");
    }

    private void assertSameFinalWeights(Function<Path, TrainingConfig> config, String name) {
        List<SftExample> data = SyntheticTask.train();
        Map<String, float[]> unbroken;
        int totalSteps;
        double finalLoss;
        double meanLoss;
        try (StudentModel model = StudentModel.load(base, null)) {
            TrainingResult result = new SftTrainer(model, config.apply(tmp.resolve(name + "-unbroken")))
                    .train(data, p -> { });
            totalSteps = result.steps();
            finalLoss = result.finalLoss();
            meanLoss = result.meanLoss();
            unbroken = weights(model);
        }
        try (StudentModel model = StudentModel.load(base, null)) {
            // a finished run started again restores its end state and reports the same result
            TrainingConfig again = config.apply(tmp.resolve(name + "-unbroken")).toBuilder().resume(true).build();
            TrainingResult repeated = new SftTrainer(model, again).train(data, p -> { });
            assertEquals(totalSteps, repeated.resumedFrom());
            assertEquals(finalLoss, repeated.finalLoss());
            assertEquals(meanLoss, repeated.meanLoss());
        }
        TrainingConfig crashing = config.apply(tmp.resolve(name + "-crashed")).toBuilder().resume(true).build();
        try (StudentModel model = StudentModel.load(base, null)) {
            assertThrows(IllegalStateException.class, () -> new SftTrainer(model, crashing).train(data, p -> {
                if (p.step() == 5) {
                    throw new IllegalStateException("killed at step 5"); // the last checkpoint is step 3
                }
            }));
        }
        try (StudentModel model = StudentModel.load(base, null)) {
            TrainingResult resumed = new SftTrainer(model, crashing).train(data, p -> { });
            assertEquals(3, resumed.resumedFrom());
            assertEquals(totalSteps, resumed.steps());
            Map<String, float[]> after = weights(model);
            assertEquals(unbroken.keySet(), after.keySet());
            unbroken.forEach((key, values) -> assertArrayEquals(values, after.get(key), key));
        }
    }

    /** What training changed: LoRA tensors when there is an adapter, else every weight. */
    private static Map<String, float[]> weights(StudentModel model) {
        Map<String, float[]> out = new TreeMap<>();
        if (model.adapterConfig() != null) {
            for (Linear linear : model.llama().projections()) {
                if (linear.loraA() != null) {
                    out.put(linear.name() + ".lora_A", linear.loraA().toFloatArray());
                    out.put(linear.name() + ".lora_B", linear.loraB().toFloatArray());
                }
            }
        } else {
            for (Map.Entry<String, NDArray> e : model.llama().parameters().entrySet()) {
                out.put(e.getKey(), e.getValue().toFloatArray());
            }
        }
        List<String> empty = new ArrayList<>(out.keySet());
        empty.removeIf(k -> out.get(k).length > 0);
        assertEquals(List.of(), empty);
        return out;
    }
}
