package io.twt.lm;

import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.ModelShape;
import io.twt.lm.config.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model made from nothing learns a small task: held-out loss falls and greedy answers are right. */
class TinyTrainingTest {

    @Test
    void trainingFromScratchLowersHeldOutLossAndAnswersHeldOutPrompts(@TempDir Path tmp) {
        Path dir = ModelFactory.createRandom(tmp.resolve("tiny"), ModelShape.tiny(), SyntheticTask.corpus(), 7L);
        TrainingConfig config = TrainingConfig.builder().fullFineTuning().learningRate(3e-3).batchSize(16)
                .epochs(15).warmupRatio(0.05).maxLength(64).seed(7).build();
        try (StudentModel model = StudentModel.load(dir, null)) {
            SftTrainer trainer = new SftTrainer(model, config);
            double before = trainer.loss(SyntheticTask.heldOut());
            TrainingResult result = trainer.train(SyntheticTask.train(), p -> { });
            double after = trainer.loss(SyntheticTask.heldOut());
            System.out.printf("held-out loss %.3f -> %.3f, %d steps, %.0f tokens/s%n", before, after, result.steps(),
                    result.trainTokens() / result.seconds());
            assertTrue(after < before / 10, "held-out loss " + before + " -> " + after);
            List<String> prompts = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (SftExample e : SyntheticTask.heldOut()) {
                prompts.add(e.prompt());
                expected.add(e.completion());
            }
            List<Generation> out = model.generate(prompts, GenerationConfig.greedy(4).withStop(List.of("\n")));
            int right = 0;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).text().equals(expected.get(i))) {
                    right++;
                }
            }
            System.out.println("held-out right: " + right + "/" + out.size() + " e.g. " + out.get(0));
            assertEquals(out.size(), right);
        }
    }
}
