package io.twt.eval.domain.dashboard;

import io.twt.common.EvalReport;
import io.twt.common.TeacherSpend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the dashboard knows: the latest eval report per key (as the compacted topic keeps it), the
 * teachers' scores and DCRS's statistics. Fed by the service's consumers, read by its HTTP resources.
 */
public final class Board {

    private final Map<String, EvalReport> reports = new LinkedHashMap<>();
    private final Map<String, TeacherSpend> spend = new LinkedHashMap<>();
    private final TeacherScoreboard teachers;
    private final DcrsStats dcrs;
    private final String sandboxIsolation;
    private final String sandboxSummary;

    public Board(TeacherScoreboard teachers, DcrsStats dcrs, String sandboxIsolation, String sandboxSummary) {
        this.teachers = teachers;
        this.dcrs = dcrs;
        this.sandboxIsolation = sandboxIsolation;
        this.sandboxSummary = sandboxSummary;
    }

    public TeacherScoreboard teachers() {
        return teachers;
    }

    public DcrsStats dcrs() {
        return dcrs;
    }

    public synchronized void record(EvalReport report) {
        reports.put(report.key(), report);
    }

    /** The gateway replicas' spend entries, latest per key as the compacted topic keeps them. */
    public synchronized void record(TeacherSpend entry) {
        spend.put(entry.key(), entry);
    }

    public synchronized Map<String, Map<String, TeacherSpend>> spendPerTeacherPerDay() {
        return TeacherSpend.perTeacherPerDay(spend.values());
    }

    public synchronized List<EvalReport> reports() {
        return new ArrayList<>(reports.values());
    }

    public DashboardView view(Instant now) {
        List<EvalReport> all = reports();
        List<String> experiments = all.stream().map(EvalReport::experiment).filter(Objects::nonNull).distinct().sorted().toList();
        // the main table's baselines are those on the whole split; an experiment's own are on its page
        return new DashboardView(now, ResultTable.of(EvalReport.withoutExperimentBaselines(all)), dcrs.keepRates(), dcrs.confidenceHistograms(),
                dcrs.queryOutcomes(), dcrs.threshold(), sandboxIsolation, sandboxSummary, spendPerTeacherPerDay(), experiments);
    }

    /** An experiment's recipes and stages beside the teachers, vanilla and chance, all on the one eval split. */
    public ResultTable experimentTable(String experiment) {
        return ResultTable.of(EvalReport.ofExperiment(reports(), experiment));
    }
}
