package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One (round, stage, task) score on {@code twt.eval-reports}.
 *
 * @param model                   who was scored: "student", "vanilla" or a teacher's name
 * @param metric                  pass@1 for code, accuracy for mcq and math
 * @param outputTokenDistribution counts of examples per output-token bucket, bucket upper bound as key
 * @param baseModel               the base model the student rows were scored on (its path or hub id); absent in
 *                                reports written before it was recorded, and on teacher and chance rows
 * @param experiment              the experiment of the scored model version, copied from it; on a teacher, vanilla
 *                                or chance row, the experiment whose eval limit it was scored under (the first N eval
 *                                queries per task kind, as its students); null otherwise
 * @param snapshot                that experiment's pool snapshot; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(int schemaVersion, int round, int stage, String recipe, String model, TaskKind task,
                         String metric, double value, int n, double avgOutputTokens,
                         Map<String, Integer> outputTokenDistribution, String perExampleUri,
                         String baseModel, String experiment, String snapshot) implements Validated {

    /** A report outside any experiment. */
    public EvalReport(int schemaVersion, int round, int stage, String recipe, String model, TaskKind task, String metric,
                      double value, int n, double avgOutputTokens, Map<String, Integer> outputTokenDistribution,
                      String perExampleUri, String baseModel) {
        this(schemaVersion, round, stage, recipe, model, task, metric, value, n, avgOutputTokens, outputTokenDistribution,
                perExampleUri, baseModel, null, null);
    }

    /**
     * An experiment's reports and the baselines it is compared with on the same eval split: its students', the
     * teachers', chance, and the vanilla student of the base model its versions were trained from. An experiment
     * with an eval limit has baselines of its own, scored on its first N eval queries; the others share the
     * baselines scored on the whole split.
     */
    public static List<EvalReport> ofExperiment(Collection<EvalReport> all, String experiment) {
        List<EvalReport> own = all.stream().filter(r -> experiment.equals(r.experiment())).toList();
        if (own.stream().anyMatch(EvalReport::baseline)) {
            return own;
        }
        Set<String> bases = own.stream().map(EvalReport::baseModel).filter(Objects::nonNull).collect(Collectors.toSet());
        List<EvalReport> rows = new ArrayList<>(own);
        all.stream().filter(r -> r.baseline() && r.experiment() == null
                && (!r.model().equals("vanilla") || bases.isEmpty() || bases.contains(r.baseModel()))).forEach(rows::add);
        return rows;
    }

    /**
     * The reports without the baselines an experiment scored for itself on its first N eval queries: what the
     * project-wide tables show (an experiment's own are in its table, {@link #ofExperiment}).
     */
    public static List<EvalReport> withoutExperimentBaselines(Collection<EvalReport> all) {
        return all.stream().filter(r -> !r.baseline() || r.experiment() == null).toList();
    }

    /** A teacher, vanilla or chance row: one every student is compared with. */
    public boolean baseline() {
        return model != null && !model.equals("student");
    }

    /**
     * {@code round:stage:task} for a student's report, {@code round:stage:task:model} for a baseline's, and
     * {@code 0:0:task:model:experiment} for a baseline scored for one experiment.
     */
    public String key() {
        return baseline() && experiment != null ? baselineKeyOf(task, model, experiment) : keyOf(round, stage, task, model);
    }

    /** A baseline scored for one experiment has a key of its own, beside the one on the whole split. */
    public static String baselineKeyOf(TaskKind task, String model, String experiment) {
        return keyOf(0, 0, task, model) + ":" + experiment;
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
