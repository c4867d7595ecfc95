package io.twt.cli;

import io.twt.common.EvalReport;
import io.twt.common.TaskKind;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paper's Table 2 from eval reports: one row per scored model (teachers, the vanilla student, chance,
 * then each round/stage/recipe of the student; names and order from {@link ResultRows}), per task kind its
 * metric in percent and mean output tokens.
 */
public final class ResultsTable {

    private ResultsTable() {
    }

    /** What a cell of a task kind that was not run shows. */
    static final String NOT_RUN = "not run: no sandbox";

    public static String render(Collection<EvalReport> reports) {
        return render(reports, Set.of());
    }

    /** @param notRun task kinds eval-service did not score (code where no sandbox works): their cells say so */
    public static String render(Collection<EvalReport> reports, Set<TaskKind> notRun) {
        Map<String, Map<TaskKind, EvalReport>> rows = new LinkedHashMap<>();
        reports.stream().sorted(ResultRows.ORDER).forEach(report ->
                rows.computeIfAbsent(ResultRows.nameOf(report), k -> new LinkedHashMap<>()).put(report.task(), report));
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-28s", "model"));
        for (TaskKind task : TaskKind.values()) {
            out.append(String.format(" | %-22s", task.wire() + " (" + metricOf(task) + ", tokens)"));
        }
        out.append('\n').append("-".repeat(28 + 25 * TaskKind.values().length)).append('\n');
        rows.forEach((name, cells) -> {
            out.append(String.format("%-28s", name));
            for (TaskKind task : TaskKind.values()) {
                EvalReport cell = cells.get(task);
                out.append(notRun.contains(task) ? String.format(" | %-22s", NOT_RUN)
                        : cell == null ? String.format(" | %-22s", "-")
                        : String.format(" | %6.1f%% %8.1f tok    ", 100 * cell.value(), cell.avgOutputTokens()));
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** Mean output tokens per student stage (all tasks pooled by example count), for the stage-over-stage check. */
    public static Map<Integer, Double> studentTokensByStage(Collection<EvalReport> reports, int round) {
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        reports.stream().filter(r -> ResultRows.kindOf(r) == ResultRows.Kind.STUDENT && r.round() == round).sorted(Comparator.comparingInt(EvalReport::stage))
                .forEach(r -> {
                    double[] sum = sums.computeIfAbsent(r.stage(), k -> new double[2]);
                    sum[0] += r.avgOutputTokens() * r.n();
                    sum[1] += r.n();
                });
        Map<Integer, Double> means = new LinkedHashMap<>();
        sums.forEach((stage, sum) -> means.put(stage, sum[1] == 0 ? 0 : sum[0] / sum[1]));
        return means;
    }

    private static String metricOf(TaskKind task) {
        return List.of(TaskKind.CODE).contains(task) ? "pass@1" : "acc";
    }
}
