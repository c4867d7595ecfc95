package io.twt.gateway.incoming;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions of {@code twt.queries} this process owns and the queries it is answering on each. When a
 * rebalance takes partitions away, their queries in flight finish (and their outputs reach the topic) before
 * the partitions move on, so the next owner's {@link LedgerRebuild} finds those outputs; a query of a partition
 * no longer owned is not started, since its new owner reads it again from the committed offset.
 */
@Singleton
class InFlightQueries {

    private final Set<TopicPartition> owned = new HashSet<>();
    private final Map<TopicPartition, Integer> running = new HashMap<>();

    synchronized void assigned(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
    }

    /** True when the query may start: its partition is still ours. Pair with {@link #end}. */
    synchronized boolean begin(TopicPartition partition) {
        if (!owned.contains(partition)) {
            return false;
        }
        running.merge(partition, 1, Integer::sum);
        return true;
    }

    /** False once a rebalance has taken the partition away (a query waiting for budget then gives up). */
    synchronized boolean owns(TopicPartition partition) {
        return owned.contains(partition);
    }

    synchronized void end(TopicPartition partition) {
        running.computeIfPresent(partition, (p, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    /** Gives the partitions up and waits, at most {@code wait}, for their queries in flight; returns those left. */
    synchronized int revokeAndAwait(Collection<TopicPartition> partitions, Duration wait) throws InterruptedException {
        owned.removeAll(partitions);
        long deadline = System.nanoTime() + wait.toNanos();
        int left = runningOn(partitions);
        while (left > 0 && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            left = runningOn(partitions);
        }
        return left;
    }

    private int runningOn(Collection<TopicPartition> partitions) {
        return partitions.stream().mapToInt(p -> running.getOrDefault(p, 0)).sum();
    }
}
