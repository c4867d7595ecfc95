package io.twt.lab.teacher;

import java.time.Duration;

/**
 * How the lab server misbehaves, for tests and benchmarks: a latency before every answer, and per request
 * the chances of a 429 (with Retry-After), a 500, a hang longer than any sane client timeout, or a reply
 * whose content is truncated JSON.
 */
public record FaultSettings(Duration latency, Duration jitter, double rate429, double rate500, double rateTimeout,
                            double rateMalformed, Duration hang, int retryAfterSeconds) {

    public FaultSettings {
        double total = rate429 + rate500 + rateTimeout + rateMalformed;
        if (rate429 < 0 || rate500 < 0 || rateTimeout < 0 || rateMalformed < 0 || total > 1.0) {
            throw new IllegalArgumentException("fault rates must be >= 0 and add up to at most 1, got " + total);
        }
    }

    public static FaultSettings none() {
        return new FaultSettings(Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, Duration.ofSeconds(30), 1);
    }

    public FaultSettings withLatency(Duration fixed, Duration upTo) {
        return new FaultSettings(fixed, upTo, rate429, rate500, rateTimeout, rateMalformed, hang, retryAfterSeconds);
    }

    /** {@code total} faults per request, shared equally by the four kinds. */
    public FaultSettings withFaults(double total, Duration hangFor) {
        double each = total / 4;
        return new FaultSettings(latency, jitter, each, each, each, each, hangFor, retryAfterSeconds);
    }

    public double totalRate() {
        return rate429 + rate500 + rateTimeout + rateMalformed;
    }
}
