package io.twt.eval.domain.dashboard;

import io.twt.common.TaskKind;
import java.time.Instant;
import java.util.Map;

/**
 * One consistent snapshot of everything the dashboard and {@code /report.json} show.
 *
 * @param sandboxIsolation the code sandbox's level (BUBBLEWRAP, NETWORK_NAMESPACE, LIMITS_ONLY; NONE: code refused)
 * @param sandboxSummary   why it is that level and what generated code can still reach
 */
public record DashboardView(Instant generatedAt, ResultTable table, Map<String, DcrsStats.TeacherKeep> keepRates,
                            Map<TaskKind, Map<String, int[]>> confidenceHistograms, DcrsStats.QueryOutcomes queryOutcomes,
                            double qualityThreshold, String sandboxIsolation,
                            String sandboxSummary) {
}
