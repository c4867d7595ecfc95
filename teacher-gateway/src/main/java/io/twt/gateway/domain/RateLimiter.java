package io.twt.gateway.domain;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A per-minute allowance (requests or tokens) as a token bucket that refills continuously. {@link #reserve}
 * takes permits now and says how long the caller must wait before using them; the balance may go below
 * zero, which is how a token count learnt only after the call ({@link #charge}) is paid back.
 */
public final class RateLimiter {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private double perMinute;
    private final LongSupplier nanoClock;
    private double available;
    private long updatedAt;

    public RateLimiter(long perMinute, LongSupplier nanoClock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a per-minute limit must be >= 1: " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoClock = nanoClock;
        this.available = perMinute;
        this.updatedAt = nanoClock.getAsLong();
    }

    /** Takes {@code permits} and returns the wait after which they are covered (zero if they are now). */
    public synchronized Duration reserve(long permits) {
        refill();
        available -= permits;
        if (available >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-available / perMinute * MINUTE_NANOS));
    }

    /** A new allowance from now on (a replica's share changes as replicas come and go); the balance is capped to it. */
    public synchronized void resize(long newPerMinute) {
        if (newPerMinute < 1) {
            throw new IllegalArgumentException("a per-minute limit must be >= 1: " + newPerMinute);
        }
        refill();
        perMinute = newPerMinute;
        available = Math.min(available, perMinute);
    }

    public synchronized double perMinute() {
        return perMinute;
    }

    /** Takes permits without waiting, for usage learnt after the fact. */
    public synchronized void charge(long permits) {
        refill();
        available -= permits;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        available = Math.min(perMinute, available + (now - updatedAt) / (double) MINUTE_NANOS * perMinute);
        updatedAt = now;
    }
}
