package io.twt.gateway.domain;

import io.twt.common.Usage;

/**
 * A chat that ended without an answer: every attempt failed, the breaker is open, or the budget is spent.
 * It carries what the failed attempts cost, so the FAILED record and the metrics still account for it.
 */
public class TeacherCallFailed extends Exception {

    /** Why no answer came: retries used up, the breaker open, the budget spent, or the request refused (4xx). */
    public enum Reason { GAVE_UP, CIRCUIT_OPEN, BUDGET_SPENT, REJECTED }

    private final Reason reason;
    private final Usage usage;
    private final long latencyMs;
    private final int attempts;

    public TeacherCallFailed(Reason reason, String message, Usage usage, long latencyMs, int attempts) {
        super(message);
        this.reason = reason;
        this.usage = usage;
        this.latencyMs = latencyMs;
        this.attempts = attempts;
    }

    public Reason reason() {
        return reason;
    }

    public Usage usage() {
        return usage;
    }

    public long latencyMs() {
        return latencyMs;
    }

    public int attempts() {
        return attempts;
    }
}
