package io.twt.common;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one gateway replica has spent on one teacher on one day (UTC), cumulative, on the compacted
 * {@code twt.teacher-spend} (key {@link #key}). Every replica reads them all: their sum per teacher is the budget
 * spent across replicas and restarts, and per day it is the spend ledger {@code ./twt status} prints.
 *
 * @param day     ISO date, UTC
 * @param replica the gateway replica that spent it (its pod name, or host and pid)
 */
public record TeacherSpend(int schemaVersion, String teacher, String day, String replica, long promptTokens,
                           long completionTokens, double costUsd, long calls) implements Validated {

    public static String key(String teacher, String day, String replica) {
        return teacher + ":" + day + ":" + replica;
    }

    public String key() {
        return key(teacher, day, replica);
    }

    /** Summed over replicas: teacher -> day -> totals (replica "all"), both in order. */
    public static Map<String, Map<String, TeacherSpend>> perTeacherPerDay(Collection<TeacherSpend> entries) {
        Map<String, Map<String, TeacherSpend>> table = new TreeMap<>();
        for (TeacherSpend e : entries) {
            table.computeIfAbsent(e.teacher(), t -> new TreeMap<>()).merge(e.day(), e.asTotal(), TeacherSpend::plus);
        }
        return table;
    }

    private TeacherSpend asTotal() {
        return new TeacherSpend(schemaVersion, teacher, day, "all", promptTokens, completionTokens, costUsd, calls);
    }

    private TeacherSpend plus(TeacherSpend other) {
        return new TeacherSpend(schemaVersion, teacher, day, replica, promptTokens + other.promptTokens,
                completionTokens + other.completionTokens, costUsd + other.costUsd, calls + other.calls);
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.text("teacher", teacher);
        Check.text("day", day);
        if (!day.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new InvalidRecordException("field 'day' must be an ISO date (2026-12-06), got " + day);
        }
        Check.text("replica", replica);
        Check.nonNegative("promptTokens", promptTokens);
        Check.nonNegative("completionTokens", completionTokens);
        Check.nonNegative("calls", calls);
        if (!(costUsd >= 0)) {
            throw new InvalidRecordException("field 'costUsd' must be >= 0: " + costUsd);
        }
    }
}
