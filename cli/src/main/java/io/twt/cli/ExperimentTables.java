package io.twt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.EvalReport;
import io.twt.common.TaskKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An experiment's results as the paper's tables: Table 1 (teachers, the vanilla student, chance and each recipe's
 * final stage; per task kind its metric and mean output tokens, the best recipe in each column marked) and Table 2
 * (every stage of each multi-stage recipe). Rows are eval reports, all scored on eval-service's one eval split.
 */
final class ExperimentTables {

    /** Marks the recipe with the highest metric in a column, and the one with the fewest output tokens. */
    static final String BEST = "*";
    static final String FEWEST = "^";

    private ExperimentTables() {
    }

    /**
     * @param recipes the experiment's recipes in the order it ran them (rows follow it); recipes without reports yet
     *                are left out
     * @param notRun  task kinds eval-service did not score (code without a sandbox)
     */
    static String render(List<EvalReport> reports, List<String> recipes, Set<TaskKind> notRun) {
        Map<String, Map<TaskKind, EvalReport>> baselines = new LinkedHashMap<>();
        reports.stream().filter(r -> ResultRows.kindOf(r) != ResultRows.Kind.STUDENT).sorted(ResultRows.ORDER)
                .forEach(r -> baselines.computeIfAbsent(ResultRows.nameOf(r), k -> new LinkedHashMap<>()).put(r.task(), r));
        Map<String, Map<Integer, Map<TaskKind, EvalReport>>> byRecipe = new LinkedHashMap<>();
        recipes.forEach(recipe -> byRecipe.put(recipe, new LinkedHashMap<>()));
        reports.stream().filter(r -> ResultRows.kindOf(r) == ResultRows.Kind.STUDENT && byRecipe.containsKey(r.recipe()))
                .sorted(Comparator.comparingInt(EvalReport::stage))
                .forEach(r -> byRecipe.get(r.recipe()).computeIfAbsent(r.stage(), k -> new LinkedHashMap<>()).put(r.task(), r));

        Map<String, Map<TaskKind, EvalReport>> finals = new LinkedHashMap<>();
        Map<String, Map<TaskKind, EvalReport>> stages = new LinkedHashMap<>();
        byRecipe.forEach((recipe, byStage) -> {
            if (byStage.isEmpty()) {
                return;
            }
            int last = byStage.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
            finals.put(recipe + " (stage " + last + ")", byStage.get(last));
            if (byStage.size() > 1) {
                byStage.forEach((stage, cells) -> stages.put(recipe + " stage " + stage, cells));
            }
        });

        StringBuilder out = new StringBuilder("Table 1: each recipe's final stage beside the teachers and baselines\n");
        Map<String, Map<TaskKind, EvalReport>> table1 = new LinkedHashMap<>(baselines);
        table1.putAll(finals);
        table(out, table1, finals.keySet(), notRun);
        if (!stages.isEmpty()) {
            out.append("\nTable 2: every stage of the multi-stage recipes\n");
            table(out, stages, stages.keySet(), notRun);
        }
        out.append("\n").append(BEST).append(" highest metric, ").append(FEWEST)
                .append(" fewest output tokens, among the recipes of the table\n");
        return out.toString();
    }

    /** @param ranked the rows among which each column's best is marked */
    private static void table(StringBuilder out, Map<String, Map<TaskKind, EvalReport>> rows, Set<String> ranked,
                              Set<TaskKind> notRun) {
        int width = Math.max(28, rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 1);
        out.append(String.format("%-" + width + "s", "model"));
        for (TaskKind task : TaskKind.values()) {
            out.append(String.format(" | %-24s", task.wire() + " (" + (task == TaskKind.CODE ? "pass@1" : "acc") + ", tokens)"));
        }
        out.append('\n').append("-".repeat(width + 27 * TaskKind.values().length)).append('\n');
        Map<TaskKind, Double> best = new LinkedHashMap<>();
        Map<TaskKind, Double> fewest = new LinkedHashMap<>();
        for (TaskKind task : TaskKind.values()) {
            List<EvalReport> cells = ranked.stream().map(name -> rows.get(name).get(task)).filter(Objects::nonNull).toList();
            cells.stream().mapToDouble(EvalReport::value).max().ifPresent(v -> best.put(task, v));
            cells.stream().mapToDouble(EvalReport::avgOutputTokens).min().ifPresent(v -> fewest.put(task, v));
        }
        rows.forEach((name, cells) -> {
            out.append(String.format("%-" + width + "s", name));
            for (TaskKind task : TaskKind.values()) {
                EvalReport cell = cells.get(task);
                if (notRun.contains(task)) {
                    out.append(String.format(" | %-24s", ResultsTable.NOT_RUN));
                } else if (cell == null) {
                    out.append(String.format(" | %-24s", "-"));
                } else {
                    boolean rankedRow = ranked.contains(name);
                    String valueMark = rankedRow && cell.value() == best.get(task) ? BEST : " ";
                    String tokenMark = rankedRow && cell.avgOutputTokens() == fewest.get(task) ? FEWEST : " ";
                    out.append(String.format(" | %6.1f%%%s %8.1f tok%s  ", 100 * cell.value(), valueMark,
                            cell.avgOutputTokens(), tokenMark));
                }
            }
            out.append('\n');
        });
    }

    /**
     * What each recipe trained on, from trainer-service's experiment status: the rows it selected from the pool and
     * their label accuracy against gold per task kind (table 5's figure for the selection methods).
     */
    static String trainingData(JsonNode status) {
        StringBuilder out = new StringBuilder("Training data: rows each recipe selected from the pool, label accuracy vs gold\n");
        out.append(String.format("%-24s | %8s", "recipe", "rows"));
        List<TaskKind> labelled = List.of(TaskKind.MCQ, TaskKind.MATH);
        labelled.forEach(task -> out.append(String.format(" | %-22s", task.wire() + " labels right")));
        out.append('\n').append("-".repeat(35 + 25 * labelled.size())).append('\n');
        for (JsonNode recipe : status.path("recipes")) {
            out.append(String.format("%-24s | %8d", recipe.path("recipe").asText(), recipe.path("trainRows").asInt()));
            for (TaskKind task : labelled) {
                JsonNode accuracy = recipe.path("labelAccuracy").path(task.wire());
                int withGold = accuracy.path("withGold").asInt();
                out.append(withGold == 0 ? String.format(" | %-22s", "-") : String.format(" | %6.1f%% of %-12d",
                        100.0 * accuracy.path("correct").asInt() / withGold, withGold));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
