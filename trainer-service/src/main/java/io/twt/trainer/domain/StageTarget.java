package io.twt.trainer.domain;

/** What a stage's completions hold, after the prompt x. */
public enum StageTarget {
    /** [x; r; y]: the teacher's full rationale, then the answer (HaRD stage 1). */
    FULL_RATIONALE,
    /** [x; r^T; y]: the rationale as compressed after the previous stage (HaRD stage 2). */
    COMPRESSED_RATIONALE,
    /** [x; y]: the answer alone (HaRD's last stage; Standard KD). */
    ANSWER_ONLY,
    /** Distilling step-by-step: [x; y] and, as a second task behind a task prefix, [x; r]. */
    ANSWER_AND_RATIONALE_TASKS
}
