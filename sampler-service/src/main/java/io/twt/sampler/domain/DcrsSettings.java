package io.twt.sampler.domain;

import java.time.Duration;

/**
 * The knobs of Dual-Criteria Rejection Sampling.
 *
 * @param threshold             quality threshold s: a rationale is kept when OK and confidence >= s (paper 3.1)
 * @param deadline              how long after its first record a query waits for missing teachers or embeddings
 * @param deadlineCheckInterval how often (wall-clock) waiting queries are checked against the deadline
 * @param decidedRetention      how long a decided query id is remembered, so late records cannot decide it twice
 */
public record DcrsSettings(double threshold, Duration deadline, Duration deadlineCheckInterval, Duration decidedRetention) {

    public DcrsSettings {
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
        if (deadlineCheckInterval.isNegative() || deadlineCheckInterval.isZero()) {
            throw new IllegalArgumentException("deadline check interval must be positive: " + deadlineCheckInterval);
        }
        if (decidedRetention.compareTo(deadline) < 0) {
            throw new IllegalArgumentException("decided retention " + decidedRetention
                    + " must be at least the deadline " + deadline + ", or late records could start a query again");
        }
    }
}
