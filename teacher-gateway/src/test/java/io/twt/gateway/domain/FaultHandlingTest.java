package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Retry delays, the circuit breaker, rate limits, the budget and the done-ledger, each on its own. */
class FaultHandlingTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void backoffGrowsExponentiallyWithJitterUnderTheCap() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350));
        Random random = new Random(1);
        long[] ceilings = {100, 200, 350, 350};
        for (int attempt = 1; attempt <= 4; attempt++) {
            long max = 0;
            for (int i = 0; i < 500; i++) {
                long delay = policy.delayAfter(attempt, null, random).toMillis();
                assertTrue(delay >= 0 && delay <= ceilings[attempt - 1], "attempt " + attempt + ": " + delay);
                max = Math.max(max, delay);
            }
            assertTrue(max > ceilings[attempt - 1] * 0.9, "jitter spreads up to the ceiling");
        }
    }

    @Test
    void retryAfterWinsWhenItAsksForLonger() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20));
        assertEquals(Duration.ofSeconds(2), policy.delayAfter(1, Duration.ofSeconds(2), new Random(1)));
    }

    @Test
    void breakerOpensAfterFailuresInARowThenLetsOneTrialThrough() {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), clock::get);
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertTrue(breaker.tryAcquire(), "a success in between resets the count");
        breaker.onFailure();
        assertFalse(breaker.tryAcquire());
        assertEquals(Duration.ofSeconds(10), breaker.remainingOpen());
        clock.set(Duration.ofSeconds(10).toNanos());
        assertTrue(breaker.tryAcquire(), "half open: one trial");
        assertFalse(breaker.tryAcquire(), "only one trial at a time");
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed trial opens it again");
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void rateLimiterMakesCallersWaitForTheirShareOfTheMinute() {
        RateLimiter perMinute = new RateLimiter(60, clock::get);
        for (int i = 0; i < 60; i++) {
            assertEquals(Duration.ZERO, perMinute.reserve(1));
        }
        assertEquals(Duration.ofSeconds(1), perMinute.reserve(1));
        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        assertEquals(Duration.ZERO, perMinute.reserve(1), "refilled one per second");
        perMinute.charge(30);
        assertTrue(perMinute.reserve(1).toSeconds() >= 29, "usage learnt afterwards is paid back");
    }

    @Test
    void budgetIsExhaustedOnceTheCapIsSpent() {
        Budget capped = new Budget(OptionalDouble.of(1.0));
        capped.settle(0.6);
        assertFalse(capped.exhausted());
        capped.settle(1.0);
        assertTrue(capped.exhausted());
        capped.capAt(OptionalDouble.of(2.0));
        assertFalse(capped.exhausted(), "a raised cap leaves room again");
        Budget uncapped = new Budget(OptionalDouble.empty());
        uncapped.settle(1e9);
        assertFalse(uncapped.exhausted());
    }

    @Test
    void ledgerGivesAPairToOneDeliveryAndRemembersItOnceDone() {
        DoneLedger ledger = new DoneLedger(2);
        assertTrue(ledger.claim("q1", "t"));
        assertFalse(ledger.claim("q1", "t"), "in flight elsewhere");
        ledger.release("q1", "t");
        assertTrue(ledger.claim("q1", "t"), "released after a failed write");
        ledger.done("q1", "t");
        assertFalse(ledger.claim("q1", "t"), "done");
        assertTrue(ledger.claim("q1", "u"), "another teacher");
        ledger.recordExisting("q2", "t");
        ledger.recordExisting("q3", "t");
        assertFalse(ledger.isDone("q1", "t"), "oldest forgotten beyond capacity");
        assertTrue(ledger.isDone("q3", "t"));
    }
}
