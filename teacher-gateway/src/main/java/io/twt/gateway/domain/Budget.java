package io.twt.gateway.domain;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A teacher's spending cap in USD, against what every gateway replica has spent on it. Once that reaches the cap no further calls go out to that teacher:
 * queries wait ({@link #awaitRoom}) until the cap is raised ({@link #capAt}); they are never decided as failed
 * for want of money. Without a cap it only counts. A lock and condition rather than {@code synchronized}, so
 * waiting virtual threads do not pin their carriers.
 */
public final class Budget {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private OptionalDouble capUsd;
    private double spentUsd;
    private Runnable onChange = () -> { };

    public Budget(OptionalDouble capUsd) {
        this.capUsd = capUsd;
    }

    /** Called after every change that may flip {@link #exhausted()}, outside the lock. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** What has been spent in all, by every replica ({@link SpendLedger#totalCostUsd}). */
    public void settle(double totalUsd) {
        lock.lock();
        try {
            spentUsd = totalUsd;
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /** A new cap (empty: none); waiting queries go on if it leaves room. */
    public void capAt(OptionalDouble usd) {
        lock.lock();
        try {
            capUsd = usd;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    public boolean exhausted() {
        lock.lock();
        try {
            return capUsd.isPresent() && spentUsd >= capUsd.getAsDouble();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code wait} for room; true when there is room. */
    public boolean awaitRoom(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (capUsd.isPresent() && spentUsd >= capUsd.getAsDouble()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = room.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public double spentUsd() {
        lock.lock();
        try {
            return spentUsd;
        } finally {
            lock.unlock();
        }
    }

    public OptionalDouble capUsd() {
        lock.lock();
        try {
            return capUsd;
        } finally {
            lock.unlock();
        }
    }

    /** "budget of 5.0 USD for teacher x is spent (5.0123 USD)" */
    public String describeSpent(String teacher) {
        return "budget of %s USD for teacher %s is spent (%.4f USD)".formatted(capUsd().getAsDouble(), teacher, spentUsd());
    }
}
