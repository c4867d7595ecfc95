package io.twt.eval.domain;

import io.twt.common.EvalReport;
import io.twt.common.TaskKind;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The reports eval-service has committed to {@code twt.eval-reports}, the latest per key: read to the topic's end
 * before any work starts, then kept up to date with every publication. What makes evaluation idempotent across
 * restarts and start orders: a model version, the vanilla student or the chance row whose reports are here is not
 * evaluated again, and the teachers' rows resume from their committed per-example results.
 */
public final class ReportLedger {

    private final Map<String, EvalReport> byKey = new LinkedHashMap<>();

    public ReportLedger(Collection<EvalReport> committed) {
        committed.forEach(this::record);
    }

    public synchronized void record(EvalReport report) {
        byKey.put(report.key(), report);
    }

    /** Whether {@code model} has a report for every task on (round, stage), of the same recipe where one is given. */
    public synchronized boolean reported(int round, int stage, String model, String recipe, Set<TaskKind> tasks) {
        return tasks.stream().allMatch(task -> {
            EvalReport report = byKey.get(EvalReport.keyOf(round, stage, task, model));
            return report != null && (recipe == null || Objects.equals(recipe, report.recipe()));
        });
    }

    /** Whether a baseline ({@code model}: chance, vanilla or a teacher) scored for one experiment has every task. */
    public synchronized boolean reportedFor(String experiment, String model, Set<TaskKind> tasks) {
        return tasks.stream().allMatch(task -> byKey.containsKey(EvalReport.baselineKeyOf(task, model, experiment)));
    }

    /**
     * Whether the vanilla student has a report for every task scored on {@code baseModel}: a stack switched to
     * another base model evaluates the new base once, whichever service started first.
     */
    public synchronized boolean vanillaReported(String baseModel, Set<TaskKind> tasks) {
        return tasks.stream().allMatch(task -> {
            EvalReport report = byKey.get(EvalReport.keyOf(0, 0, task, "vanilla"));
            return report != null && Objects.equals(baseModel, report.baseModel());
        });
    }

    /** The teachers' committed rows on the whole split (round 0, stage 0, a model none of student, vanilla, chance). */
    public synchronized List<EvalReport> teacherReports() {
        return byKey.values().stream().filter(report -> report.round() == 0 && report.stage() == 0
                && report.experiment() == null
                && !List.of("student", "vanilla", "chance").contains(report.model())).toList();
    }

    public synchronized int size() {
        return byKey.size();
    }
}
