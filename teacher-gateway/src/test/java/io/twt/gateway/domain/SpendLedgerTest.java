package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.SchemaVersion;
import io.twt.common.TeacherSpend;
import io.twt.common.Usage;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendLedgerTest {

    private static final LocalDate DAY = LocalDate.parse("2026-12-06");

    @Test
    void aTeachersSpendIsTheSumOverEveryReplicaAndDay() {
        SpendLedger ledger = new SpendLedger("gw-a");
        ledger.record("t", DAY, new Usage(100, 50), 0.25);
        ledger.record("t", DAY.plusDays(1), new Usage(10, 5), 0.5);
        ledger.absorb(new TeacherSpend(SchemaVersion.CURRENT, "t", DAY.toString(), "gw-b", 1000, 500, 2.0, 4));
        ledger.absorb(new TeacherSpend(SchemaVersion.CURRENT, "other", DAY.toString(), "gw-b", 1, 1, 9.0, 1));

        assertEquals(2.75, ledger.totalCostUsd("t"), 1e-12);
        TeacherSpend today = ledger.perTeacherPerDay().get("t").get(DAY.toString());
        assertEquals(1100, today.promptTokens());
        assertEquals(5, today.calls());
    }

    @Test
    void entriesOnlyGrowSoARepeatedOrOlderEntryChangesNothing() {
        SpendLedger ledger = new SpendLedger("gw-a");
        ledger.absorb(new TeacherSpend(SchemaVersion.CURRENT, "t", DAY.toString(), "gw-b", 10, 10, 1.0, 2));
        ledger.absorb(new TeacherSpend(SchemaVersion.CURRENT, "t", DAY.toString(), "gw-b", 5, 5, 0.5, 1));
        assertEquals(1.0, ledger.totalCostUsd("t"), 1e-12);
    }

    @Test
    void aRestartedReplicaAddsToItsOwnEntriesReadBackAndWritesOnlyWhatChanged() {
        SpendLedger restarted = new SpendLedger("gw-a");
        restarted.absorb(new TeacherSpend(SchemaVersion.CURRENT, "t", DAY.toString(), "gw-a", 100, 50, 1.0, 3));
        restarted.record("t", DAY, new Usage(10, 5), 0.1);
        restarted.absorb(new TeacherSpend(SchemaVersion.CURRENT, "t", DAY.toString(), "gw-a", 100, 50, 1.0, 3));

        List<TeacherSpend> changed = restarted.unflushed();
        assertEquals(1, changed.size());
        assertEquals(4, changed.getFirst().calls(), "its own live entry is not replaced by an older copy from the topic");
        assertEquals(1.1, changed.getFirst().costUsd(), 1e-12);
        assertTrue(restarted.unflushed().isEmpty());
        restarted.flushFailed(changed);
        assertEquals(changed, restarted.unflushed(), "a failed write is tried again");
    }
}
