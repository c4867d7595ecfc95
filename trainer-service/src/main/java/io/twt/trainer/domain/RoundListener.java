package io.twt.trainer.domain;

/** What a round reports as it goes, for metrics and logs. */
public interface RoundListener {

    void stageTrained(int round, int stage, TrainableStudent.TrainedStage trained, int examples);

    void compressionCollected(int round, int afterStage, CompressedSet collected);
}
