package io.twt.eval.domain.dashboard;

import io.twt.common.TaskKind;
import java.time.Instant;
import java.util.Map;

/** One consistent snapshot of everything the dashboard and {@code /report.json} show. */
public record DashboardView(Instant generatedAt, ResultTable table, Map<String, DcrsStats.TeacherKeep> keepRates,
                            Map<TaskKind, Map<String, int[]>> confidenceHistograms, DcrsStats.QueryOutcomes queryOutcomes,
                            double qualityThreshold, String sandboxIsolation) {
}
