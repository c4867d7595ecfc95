package io.twt.trainer.domain;

import io.twt.common.ModelVersion;

/** {@code twt.model-versions}: announcing a trained stage, and finding out whether an interrupted announcement got through. */
public interface VersionBoard {

    /** Whether a version with this round, stage and weights is already on the topic. */
    boolean contains(ModelVersion version);

    /** Sends it and waits until the broker has it. */
    void announce(ModelVersion version);
}
