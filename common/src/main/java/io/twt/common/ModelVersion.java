package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A trained stage, on {@code twt.model-versions}.
 *
 * @param recipe     the stage recipe that produced it: twt (the paper's HaRD), twt-4stage, standard-kd, step-by-step
 * @param adapterUri          a PEFT adapter directory, or full weights when full fine-tuning was used
 * @param maxCompletionTokens the longest completion the stage trained on, in the student's tokens; eval-service
 *                            caps generation from it. Null in records written before it existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersion(int schemaVersion, int round, int stage, String recipe, String baseModel, String adapterUri,
                           long trainExamples, long trainTokens, double loss, double seconds, Integer maxCompletionTokens)
        implements Validated {

    public String key() {
        return Keys.modelVersion(round, stage);
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
    }
}
