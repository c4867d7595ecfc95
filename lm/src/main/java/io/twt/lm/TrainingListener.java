package io.twt.lm;

/** Receives the progress of a training run after every optimizer step (on the training thread). */
@FunctionalInterface
public interface TrainingListener {

    void onStep(TrainingProgress progress);

    /** A listener that ignores progress. */
    static TrainingListener none() {
        return progress -> { };
    }
}
