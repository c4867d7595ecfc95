package io.twt.gateway.domain;

import io.twt.common.SchemaVersion;
import io.twt.common.TeacherSpend;
import io.twt.common.Usage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spend per (teacher, day, replica), cumulative, as {@code twt.teacher-spend} holds it: this replica's own
 * entries grow with every call ({@link #record}) and are flushed to the topic ({@link #unflushed}); every
 * replica's entries come back from the topic ({@link #absorb}). A teacher's spend is the sum over all entries,
 * so a budget is shared by the replicas and survives restarts. Entries only grow, so reading one twice or out
 * of order keeps the larger; this replica's own entries read back after a restart are the base it adds to.
 */
public final class SpendLedger {

    private final String replica;
    private final Map<String, TeacherSpend> entries = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();

    public SpendLedger(String replica) {
        this.replica = replica;
    }

    public String replica() {
        return replica;
    }

    /** Adds one call's usage and cost to this replica's entry of the day. */
    public synchronized void record(String teacher, LocalDate day, Usage usage, double costUsd) {
        String key = TeacherSpend.key(teacher, day.toString(), replica);
        TeacherSpend before = entries.getOrDefault(key,
                new TeacherSpend(SchemaVersion.CURRENT, teacher, day.toString(), replica, 0, 0, 0, 0));
        entries.put(key, new TeacherSpend(SchemaVersion.CURRENT, teacher, day.toString(), replica,
                before.promptTokens() + usage.promptTokens(), before.completionTokens() + usage.completionTokens(),
                before.costUsd() + costUsd, before.calls() + 1));
        dirty.add(key);
    }

    /** An entry read from the topic: another replica's, or this one's from before a restart. */
    public synchronized void absorb(TeacherSpend entry) {
        TeacherSpend held = entries.get(entry.key());
        boolean ownAndLive = entry.replica().equals(replica) && held != null;
        if (!ownAndLive && (held == null || entry.calls() > held.calls())) {
            entries.put(entry.key(), entry);
        }
    }

    public synchronized double totalCostUsd(String teacher) {
        return entries.values().stream().filter(e -> e.teacher().equals(teacher)).mapToDouble(TeacherSpend::costUsd).sum();
    }

    /** This replica's entries changed since the last call; the caller writes them (and hands them back on failure). */
    public synchronized List<TeacherSpend> unflushed() {
        List<TeacherSpend> changed = new ArrayList<>();
        dirty.forEach(key -> changed.add(entries.get(key)));
        dirty.clear();
        return changed;
    }

    public synchronized void flushFailed(List<TeacherSpend> entries) {
        entries.forEach(e -> dirty.add(e.key()));
    }

    /** Tokens, cost and calls per teacher and day, summed over replicas: teacher -> day -> totals. */
    public synchronized Map<String, Map<String, TeacherSpend>> perTeacherPerDay() {
        return TeacherSpend.perTeacherPerDay(entries.values());
    }
}
