package io.twt.gateway.incoming;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads assigned, already positioned partitions up to the end offsets they have now, within a time limit: how the
 * gateway catches up on its own topics at start and on assignment (the dedupe ledger, the spend ledger).
 */
final class PartitionsToEnd {

    private static final Duration POLL = Duration.ofMillis(200);

    private PartitionsToEnd() {
    }

    /** Hands every record to {@code each}; false when the limit passed before every partition reached its end. */
    static boolean read(KafkaConsumer<String, byte[]> reader, Collection<TopicPartition> partitions, Duration limit,
                        Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        long deadline = System.nanoTime() + limit.toNanos();
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            reader.poll(POLL).forEach(each);
        }
        return true;
    }
}
