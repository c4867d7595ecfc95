package io.twt.eval.domain.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.twt.common.EvalReport;
import io.twt.common.TaskKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's tables from eval reports: one row per scored model (teachers, the vanilla student, the chance
 * row, then each recipe's rounds and stages), per task kind the metric and the mean output tokens.
 */
public record ResultTable(List<Row> rows) {

    public enum RowKind { TEACHER, VANILLA, CHANCE, STUDENT }

    /** One model's row; {@code cells} has an entry for each task it was scored on. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String name, RowKind kind, String model, int round, int stage, String recipe,
                      Map<TaskKind, Cell> cells) {
    }

    public record Cell(String metric, double value, int n, double avgOutputTokens, String perExampleUri) {
    }

    public static ResultTable of(Collection<EvalReport> reports) {
        Map<String, Row> rows = new LinkedHashMap<>();
        reports.stream().sorted(ORDER).forEach(report -> {
            Row row = rows.computeIfAbsent(rowName(report), name -> new Row(name, kindOf(report), report.model(),
                    report.round(), report.stage(), report.recipe(), new EnumMap<>(TaskKind.class)));
            row.cells().put(report.task(), new Cell(report.metric(), report.value(), report.n(),
                    report.avgOutputTokens(), report.perExampleUri()));
        });
        return new ResultTable(new ArrayList<>(rows.values()));
    }

    public static RowKind kindOf(EvalReport report) {
        if (report.model() == null || report.model().equals("student")) {
            return RowKind.STUDENT;
        }
        return switch (report.model()) {
            case "vanilla" -> RowKind.VANILLA;
            case "chance" -> RowKind.CHANCE;
            default -> RowKind.TEACHER;
        };
    }

    private static String rowName(EvalReport report) {
        return switch (kindOf(report)) {
            case TEACHER -> report.model();
            case VANILLA -> "vanilla student";
            case CHANCE -> "chance";
            case STUDENT -> (report.recipe() == null ? "student" : report.recipe()) + " round " + report.round()
                    + " stage " + report.stage();
        };
    }

    private static final Comparator<EvalReport> ORDER = Comparator.comparing(ResultTable::kindOf)
            .thenComparing(r -> String.valueOf(r.model()))
            .thenComparing(r -> String.valueOf(r.recipe()))
            .thenComparingInt(EvalReport::round)
            .thenComparingInt(EvalReport::stage);
}
