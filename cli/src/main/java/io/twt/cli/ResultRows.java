package io.twt.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.TaskKind;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results rows a program reads (DESIGN.md, "Results rows"), one per (model, task) from the eval reports:
 * what {@code ./twt report --json} prints and {@code ./twt demo} writes to results.json. The printed table
 * ({@link ResultsTable}) takes its row names and order from here, so both name a model the same way.
 */
final class ResultRows {

    enum Kind {
        TEACHER, VANILLA, CHANCE, STUDENT;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One model on one task; {@code value} in 0-1, {@code recipe} null where a row has none (teachers, chance);
     * {@code experiment} and {@code snapshot} only on an experiment's rows (absent from the JSON otherwise).
     */
    record Row(String model, Kind kind, int round, int stage, String recipe,
               @JsonInclude(JsonInclude.Include.NON_NULL) String experiment,
               @JsonInclude(JsonInclude.Include.NON_NULL) String snapshot,
               TaskKind task, String metric, double value, int n, double avgOutputTokens) {
    }

    /** Teachers, the vanilla student, chance, then the student's recipes, rounds and stages; tasks in catalogue order. */
    static final Comparator<EvalReport> ORDER = Comparator.comparing(ResultRows::kindOf)
            .thenComparing(r -> kindOf(r) == Kind.STUDENT ? "" : r.model()) // "student" and no model are one row kind
            .thenComparing(r -> String.valueOf(r.recipe()))
            .thenComparingInt(EvalReport::round)
            .thenComparingInt(EvalReport::stage)
            .thenComparing(EvalReport::task);

    private ResultRows() {
    }

    static List<Row> of(Collection<EvalReport> reports) {
        return reports.stream().sorted(ORDER).map(r -> row(r, r.experiment(), r.snapshot())).toList();
    }

    /**
     * An experiment's rows: its students' and the baselines it is compared with (teachers, vanilla, chance, scored on
     * the same eval split), every one labelled with the experiment and its snapshot.
     */
    static List<Row> ofExperiment(Collection<EvalReport> reports, String experiment, String snapshot) {
        return reports.stream().sorted(ORDER).map(r -> row(r, experiment, snapshot)).toList();
    }

    private static Row row(EvalReport r, String experiment, String snapshot) {
        return new Row(nameOf(r), kindOf(r), r.round(), r.stage(), r.recipe(), experiment, snapshot, r.task(), r.metric(),
                r.value(), r.n(), r.avgOutputTokens());
    }

    /** {"rows": [...]}, indented. */
    static String json(Collection<EvalReport> reports) {
        return json(of(reports));
    }

    static String json(List<Row> rows) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("rows", rows)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results rows do not serialise", e);
        }
    }

    /** A report without a model predates the field and is the student's. */
    static Kind kindOf(EvalReport report) {
        if (report.model() == null) {
            return Kind.STUDENT;
        }
        return switch (report.model()) {
            case "student" -> Kind.STUDENT;
            case "vanilla" -> Kind.VANILLA;
            case "chance" -> Kind.CHANCE;
            default -> Kind.TEACHER;
        };
    }

    /** The row's name in the printed table: "teacher lab-terse", "vanilla student", "chance", "round 1 stage 2 twt". */
    static String nameOf(EvalReport report) {
        return switch (kindOf(report)) {
            case TEACHER -> "teacher " + report.model();
            case VANILLA -> "vanilla student";
            case CHANCE -> "chance";
            case STUDENT -> "round " + report.round() + " stage " + report.stage()
                    + (report.recipe() == null ? "" : " " + report.recipe());
        };
    }
}
