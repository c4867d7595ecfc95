package io.twt.trainer.student;

import io.twt.lm.stage.StageSpec;
import java.nio.file.Path;

/** An engine outside this JVM that trains a stage from its directory: a process, a Kubernetes job. */
public interface StageEngine {

    /** How a job ended, as far as the engine can tell. */
    enum Ending { SUCCEEDED, FAILED, NOT_FOUND }

    /** @param reason why it failed, in the engine's words (exit code, the job's condition, the pod's message) */
    record Outcome(Ending ending, String reason) {
        public static Outcome succeeded() {
            return new Outcome(Ending.SUCCEEDED, null);
        }

        public static Outcome failed(String reason) {
            return new Outcome(Ending.FAILED, reason);
        }

        public static Outcome notFound() {
            return new Outcome(Ending.NOT_FOUND, null);
        }
    }

    /** The backend's name, recorded in the round ledger with each job. */
    String backend();

    /**
     * Starts the stage's job under this name.
     *
     * @return what {@link #await} needs beside the name to find the job again after a restart, or null
     */
    String submit(String name, StageSpec spec, Path stageDir);

    /**
     * Waits until the job has ended. NOT_FOUND: there is no such job (it was never started, or it is gone and the
     * engine no longer knows how it ended).
     */
    Outcome await(String name, String handle, Path stageDir);
}
