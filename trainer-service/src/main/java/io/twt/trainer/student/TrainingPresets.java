package io.twt.trainer.student;

import ai.djl.ndarray.types.DataType;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.TrainingConfig;
import io.twt.trainer.TrainerSettings;

import java.util.Locale;

/** The stage settings: the paper's preset for a real base model, the lab's for the lab's small base student. */
public final class TrainingPresets {

    /**
     * A few hundred examples at the paper's LoRA rate would not move the 1.8M-parameter lab student
     * ({@code ModelShape.labBase}); it trains every weight.
     */
    static final double LAB_LEARNING_RATE = 1e-3;
    /** Rationale stages; the pretrained lab base learns the working in a few passes (lab/README.md). */
    static final int LAB_EPOCHS = 3;
    /**
     * Answer-only stages: the answer is one to three tokens, so an epoch holds few learning signals; measured in
     * bench/learning (answer-only.sh): 1,000 math queries reach 34.5% held-out after 3 epochs, 83% after 9.
     */
    static final int LAB_ANSWER_ONLY_EPOCHS = 12;
    /** Lab examples are a few hundred tokens; a shorter context keeps the tiny model's batches small. */
    static final int LAB_MAX_LENGTH = 512;

    private TrainingPresets() {
    }

    public static TrainingConfig resolve(TrainerSettings.Training settings, boolean labStudent) {
        TrainingConfig.Builder builder = TrainingConfig.paperPreset().toBuilder();
        if (labStudent) {
            builder.learningRate(LAB_LEARNING_RATE).maxLength(LAB_MAX_LENGTH).epochs(LAB_EPOCHS);
        }
        if (settings.fullFineTuning().orElse(labStudent)) {
            builder.fullFineTuning();
        } else {
            LoraConfig paper = LoraConfig.paperPreset();
            int rank = settings.loraRank().orElse(paper.rank());
            builder.lora(new LoraConfig(rank, settings.loraAlpha().orElse(2.0 * rank), paper.dropout(), paper.targetModules()));
        }
        settings.learningRate().ifPresent(builder::learningRate);
        settings.batchSize().ifPresent(builder::batchSize);
        settings.epochs().ifPresent(builder::epochs);
        settings.maxLength().ifPresent(builder::maxLength);
        settings.dtype().ifPresent(dtype -> builder.dtype(DataType.valueOf(dtype.toUpperCase(Locale.ROOT))));
        settings.attentionChunk().ifPresent(builder::attentionChunk);
        settings.recompute().ifPresent(builder::recompute);
        return builder.seed(settings.seed()).build();
    }

    /** The stage contract these settings give: the resolved preset, and an answer-only stage's own epochs. */
    public static StageContract contract(TrainerSettings.Training settings, boolean labStudent) {
        TrainingConfig training = resolve(settings, labStudent);
        return new StageContract(training, answerOnlyEpochs(settings, labStudent, training), settings.checkpointEvery());
    }

    /** Epochs of an answer-only stage: the setting, else the lab's own, else those of every other stage. */
    static int answerOnlyEpochs(TrainerSettings.Training settings, boolean labStudent, TrainingConfig resolved) {
        if (settings.answerOnlyEpochs().isPresent()) {
            return settings.answerOnlyEpochs().getAsInt();
        }
        return labStudent && settings.epochs().isEmpty() ? LAB_ANSWER_ONLY_EPOCHS : resolved.epochs();
    }
}
