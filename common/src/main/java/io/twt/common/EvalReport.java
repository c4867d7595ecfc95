package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One (round, stage, task) score on {@code twt.eval-reports}.
 *
 * @param model                   who was scored: "student", "vanilla" or a teacher's name
 * @param metric                  pass@1 for code, accuracy for mcq and math
 * @param outputTokenDistribution counts of examples per output-token bucket, bucket upper bound as key
 * @param baseModel               the base model the student rows were scored on (its path or hub id); absent in
 *                                reports written before it was recorded, and on teacher and chance rows
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(int schemaVersion, int round, int stage, String recipe, String model, TaskKind task,
                         String metric, double value, int n, double avgOutputTokens,
                         Map<String, Integer> outputTokenDistribution, String perExampleUri,
                         String baseModel) implements Validated {

    public String key() {
        return keyOf(round, stage, task, model);
    }

    /** The key of the report on (round, stage, task) for {@code model}: the student's carries no model name. */
    public static String keyOf(int round, int stage, TaskKind task, String model) {
        return Keys.evalReport(round, stage, task) + (model == null || model.equals("student") ? "" : ":" + model);
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.present("task", task);
        Check.text("metric", metric);
        Check.unit("value", value);
        Check.nonNegative("n", n);
    }
}
