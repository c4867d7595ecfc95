package io.twt.trainer.domain;

/**
 * Where one stage is trained: in this JVM by lm, or handed to an engine outside it (a process, a Kubernetes job)
 * through the stage contract. Whichever trains it, the stage comes back as the same {@link TrainableStudent.TrainedStage}.
 */
public interface StageTrainer {

    TrainableStudent.TrainedStage train(TrainableStudent.StageJob job);
}
