package io.twt.trainer.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.lm.config.TrainingConfig;
import io.twt.trainer.TrainerSettings;
import io.twt.trainer.domain.StageTarget;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrainingPresetsTest {

    /** The settings as a user leaves them, but for the two epoch keys. */
    private record Settings(OptionalInt epochs, OptionalInt answerOnlyEpochs) implements TrainerSettings.Training {
        @Override public Optional<Boolean> fullFineTuning() { return Optional.empty(); }
        @Override public OptionalInt loraRank() { return OptionalInt.empty(); }
        @Override public OptionalDouble loraAlpha() { return OptionalDouble.empty(); }
        @Override public OptionalDouble learningRate() { return OptionalDouble.empty(); }
        @Override public OptionalInt batchSize() { return OptionalInt.empty(); }
        @Override public OptionalInt maxLength() { return OptionalInt.empty(); }
        @Override public Optional<String> dtype() { return Optional.empty(); }
        @Override public OptionalInt attentionChunk() { return OptionalInt.empty(); }
        @Override public Optional<Boolean> recompute() { return Optional.empty(); }
        @Override public int checkpointEvery() { return 20; }
        @Override public long seed() { return 42; }
    }

    @Test
    void theLabStudentTrainsItsAnswerOnlyStageForMoreEpochsThanItsRationaleStages() {
        StageContract lab = TrainingPresets.contract(new Settings(OptionalInt.empty(), OptionalInt.empty()), true);
        assertEquals(TrainingPresets.LAB_EPOCHS, lab.training(StageTarget.FULL_RATIONALE).epochs());
        assertEquals(TrainingPresets.LAB_EPOCHS, lab.training(StageTarget.COMPRESSED_RATIONALE).epochs());
        assertEquals(TrainingPresets.LAB_ANSWER_ONLY_EPOCHS, lab.training(StageTarget.ANSWER_ONLY).epochs());
        assertTrue(TrainingPresets.LAB_ANSWER_ONLY_EPOCHS > TrainingPresets.LAB_EPOCHS);
        assertEquals(lab.training(StageTarget.FULL_RATIONALE).learningRate(),
                lab.training(StageTarget.ANSWER_ONLY).learningRate(), "only the epochs differ");
    }

    @Test
    void aConfiguredBaseModelTrainsEveryStageForThePapersEpochs() {
        StageContract paper = TrainingPresets.contract(new Settings(OptionalInt.empty(), OptionalInt.empty()), false);
        int epochs = TrainingConfig.paperPreset().epochs();
        assertEquals(epochs, paper.training(StageTarget.FULL_RATIONALE).epochs());
        assertEquals(epochs, paper.training(StageTarget.ANSWER_ONLY).epochs());
    }

    @Test
    void setEpochsApplyToEveryStageUnlessTheAnswerOnlyEpochsAreSetToo() {
        StageContract same = TrainingPresets.contract(new Settings(OptionalInt.of(2), OptionalInt.empty()), true);
        assertEquals(2, same.training(StageTarget.FULL_RATIONALE).epochs());
        assertEquals(2, same.training(StageTarget.ANSWER_ONLY).epochs());
        StageContract own = TrainingPresets.contract(new Settings(OptionalInt.of(2), OptionalInt.of(7)), false);
        assertEquals(2, own.training(StageTarget.COMPRESSED_RATIONALE).epochs());
        assertEquals(7, own.training(StageTarget.ANSWER_ONLY).epochs());
    }
}
