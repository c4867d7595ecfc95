package io.twt.eval.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.EvalReport;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportLedgerTest {

    private static final Set<TaskKind> TASKS = EnumSet.allOf(TaskKind.class);

    private static List<EvalReport> vanilla(String baseModel) {
        return TASKS.stream().map(task -> new EvalReport(SchemaVersion.CURRENT, 0, 0, "vanilla", "vanilla", task,
                "accuracy", 0.1, 40, 3.0, null, null, baseModel)).toList();
    }

    @Test
    void theVanillaStudentCountsAsReportedOnlyForTheBaseModelItWasScoredOn() {
        ReportLedger ledger = new ReportLedger(vanilla("/models/base-a"));
        assertTrue(ledger.vanillaReported("/models/base-a", TASKS));
        assertFalse(ledger.vanillaReported("/models/base-b", TASKS));
        vanilla("/models/base-b").forEach(ledger::record);
        assertTrue(ledger.vanillaReported("/models/base-b", TASKS));
    }

    @Test
    void aVanillaReportWithoutItsBaseModelIsScoredAgainOnce() {
        ReportLedger ledger = new ReportLedger(vanilla(null));
        assertFalse(ledger.vanillaReported("/models/base-a", TASKS));
    }

    @Test
    void aVanillaReportMissingOneTaskIsNotComplete() {
        ReportLedger ledger = new ReportLedger(vanilla("/models/base-a").subList(0, 2));
        assertFalse(ledger.vanillaReported("/models/base-a", TASKS));
    }
}
