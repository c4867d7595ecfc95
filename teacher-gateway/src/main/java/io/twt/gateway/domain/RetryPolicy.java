package io.twt.gateway.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter between attempts, honouring a server's Retry-After when it asks for
 * longer. Attempt n (1-based) waits a uniform draw in [0, min(max, base * 2^(n-1))].
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be >= 1: " + maxAttempts);
        }
    }

    /** How long to wait after failed attempt {@code attempt}; {@code retryAfter} may be null. */
    public Duration delayAfter(int attempt, Duration retryAfter, RandomGenerator random) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 30));
        long jittered = ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
        Duration backoff = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }
}
