package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A trained stage, on {@code twt.model-versions}.
 *
 * @param recipe     the stage recipe that produced it: twt (the paper's HaRD), twt-4stage, standard-kd, step-by-step
 * @param adapterUri          a PEFT adapter directory, or full weights when full fine-tuning was used
 * @param maxCompletionTokens the longest completion the stage trained on, in the student's tokens; eval-service
 *                            caps generation from it. Null in records written before it existed.
 * @param experiment          the experiment whose round trained it ({@code POST /experiments}); null for a live round
 * @param snapshot            the pool snapshot that experiment trained on; null for a live round
 * @param evalLimit           that experiment's eval queries per task kind: every row of it (students, vanilla, chance,
 *                            teachers) is scored on the first N of eval-service's eval split; null for the whole split
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersion(int schemaVersion, int round, int stage, String recipe, String baseModel, String adapterUri,
                           long trainExamples, long trainTokens, double loss, double seconds, Integer maxCompletionTokens,
                           String experiment, String snapshot, Integer evalLimit)
        implements Validated {

    /**
     * The model store when {@code twt.model-store} (env {@code TWT_MODEL_STORE}) is unset, shared by trainer-service
     * (which writes the versions there) and eval-service (which reads them and writes its per-example results under
     * it); each service's own {@code model-store} key defaults to {@code ${twt.model-store:<this>}}.
     */
    public static final String DEFAULT_MODEL_STORE = ".twt/models";

    /** A version scored on the whole eval split. */
    public ModelVersion(int schemaVersion, int round, int stage, String recipe, String baseModel, String adapterUri,
                        long trainExamples, long trainTokens, double loss, double seconds, Integer maxCompletionTokens,
                        String experiment, String snapshot) {

        this(schemaVersion, round, stage, recipe, baseModel, adapterUri, trainExamples, trainTokens, loss, seconds,
                maxCompletionTokens, experiment, snapshot, null);
    }

    /** A live round's version: no experiment. */
    public ModelVersion(int schemaVersion, int round, int stage, String recipe, String baseModel, String adapterUri,
                        long trainExamples, long trainTokens, double loss, double seconds, Integer maxCompletionTokens) {
        this(schemaVersion, round, stage, recipe, baseModel, adapterUri, trainExamples, trainTokens, loss, seconds,
                maxCompletionTokens, null, null);
    }

    public String key() {
        return Keys.modelVersion(round, stage);
    }

    /** The model name its adapter is registered under at a student endpoint (vLLM's {@code lora_name}). */
    public String servedName() {
        return servedName(recipe, round, stage);
    }

    /** {@code <recipe>-r<round>-s<stage>}: eval-service and the trainer's drafts register a stage under one name. */
    public static String servedName(String recipe, int round, int stage) {
        return (recipe == null || recipe.isBlank() ? "twt" : recipe) + "-r" + round + "-s" + stage;
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.nonNegative("round", round);
        Check.nonNegative("stage", stage);
        Check.text("baseModel", baseModel);
        Check.nonNegative("trainExamples", trainExamples);
        Check.nonNegative("trainTokens", trainTokens);
        if (maxCompletionTokens != null) {
            Check.nonNegative("maxCompletionTokens", maxCompletionTokens);
        }
        if (evalLimit != null && evalLimit < 1) {
            throw new InvalidRecordException("field 'evalLimit' must be at least 1, got " + evalLimit);
        }
    }
}
