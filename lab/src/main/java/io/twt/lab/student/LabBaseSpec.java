package io.twt.lab.student;

import io.twt.lab.skills.SkillCorpus;
import io.twt.lm.config.ModelShape;

/**
 * How the lab's base student is made: its shape and how long it is pretrained on the skill corpus. Together with
 * the corpus's content they name the cached model, so any change makes (and caches) a new one.
 *
 * @param examples     skill examples generated (each seen {@code epochs} times)
 * @param learningRate peak AdamW learning rate of the pretraining
 * @param batchSize    examples per optimizer step
 * @param maxLength    tokens per example; skill examples are far shorter
 */
public record LabBaseSpec(ModelShape shape, int examples, int epochs, double learningRate, int batchSize,
                          int maxLength, long seed) {

    /**
     * What the demo and {@code ./twt up} pretrain: 1,800 steps, to stay inside 15 minutes on 2 idle cores (2,200 took
     * 985 s; lab/README.md), at lr 1e-3: at 3e-3 the model never learns to attend by content within the budget
     * (bench/learning/README.md).
     */
    public static LabBaseSpec standard() {
        return new LabBaseSpec(ModelShape.labBase(), 57_600, 1, 1e-3, 32, 160, 1);
    }

    /** A few hundred steps of a tiny model: for tests of the caching and loading path, not for learning. */
    public static LabBaseSpec smoke() {
        return new LabBaseSpec(ModelShape.tiny(), 256, 1, 2e-3, 32, 96, 1);
    }

    /** The part of the cache key that is not the corpus text itself. */
    String describe() {
        return "corpus v%d, %s, examples %d, epochs %d, lr %s, batch %d, max length %d, seed %d".formatted(
                SkillCorpus.VERSION, shape, examples, epochs, learningRate, batchSize, maxLength, seed);
    }
}
