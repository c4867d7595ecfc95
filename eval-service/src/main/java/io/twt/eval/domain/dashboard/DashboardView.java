package io.twt.eval.domain.dashboard;

import io.twt.common.TaskKind;
import io.twt.common.TeacherSpend;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One consistent snapshot of everything the dashboard and {@code /report.json} show.
 *
 * @param sandboxIsolation the code sandbox's level (BUBBLEWRAP, NETWORK_NAMESPACE, LIMITS_ONLY; NONE: code refused)
 * @param sandboxSummary   why it is that level and what generated code can still reach
 * @param spend            teacher -> day -> tokens, cost and calls over every gateway replica
 * @param experiments      the experiments the reports name, each with its own page
 */
public record DashboardView(Instant generatedAt, ResultTable table, Map<String, DcrsStats.TeacherKeep> keepRates,
                            Map<TaskKind, Map<String, int[]>> confidenceHistograms, DcrsStats.QueryOutcomes queryOutcomes,
                            double qualityThreshold, String sandboxIsolation,
                            String sandboxSummary, Map<String, Map<String, TeacherSpend>> spend, List<String> experiments) {

    /** A view without experiments. */
    public DashboardView(Instant generatedAt, ResultTable table, Map<String, DcrsStats.TeacherKeep> keepRates,
                         Map<TaskKind, Map<String, int[]>> confidenceHistograms, DcrsStats.QueryOutcomes queryOutcomes,
                         double qualityThreshold, String sandboxIsolation, String sandboxSummary,
                         Map<String, Map<String, TeacherSpend>> spend) {
        this(generatedAt, table, keepRates, confidenceHistograms, queryOutcomes, qualityThreshold, sandboxIsolation,
                sandboxSummary, spend, List.of());
    }
}
