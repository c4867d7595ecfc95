package io.twt.trainer.domain;

/** What a stage's completions hold, after the prompt x. */
public enum StageTarget {
    /** [x; r; y]: the teacher's full rationale, then the answer (HaRD stage 1). */
    FULL_RATIONALE,
    /** [x; r^T; y]: the rationale as compressed after the previous stage (HaRD stage 2). */
    COMPRESSED_RATIONALE,
    /** [x; y]: the answer alone (HaRD's last stage; Standard KD). */
    ANSWER_ONLY,
    /**
     * Distilling step-by-step (Hsieh et al. 2023): [x; y] and, as a second task behind a task prefix, [x; r]: one
     * example of each per row, so L = L_label + lambda * L_rationale with Hsieh's lambda = 1 (the lm trainer averages
     * over completion tokens, so a long rationale weighs by its tokens rather than as one example).
     */
    ANSWER_AND_RATIONALE_TASKS,
    /**
     * TinyLLM (Tian et al. 2024): [x; y], and every kept teacher's rationale as its own task, behind a prefix naming
     * that teacher, so the student learns several teachers' reasoning side by side.
     */
    ANSWER_AND_TEACHER_RATIONALES
}
