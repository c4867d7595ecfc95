package io.twt.cli;

import io.twt.kafka.edge.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts the committed records and distinct keys of topics as they grow, reading each record once.
 * Offsets overcount on transactional topics (every commit leaves a marker), so progress is counted here.
 */
final class TopicTally implements AutoCloseable {

    private final Consumer<String, byte[]> consumer;
    private final Map<String, Long> records = new HashMap<>();
    private final Map<String, Set<String>> keys = new HashMap<>();

    TopicTally(String bootstrap, List<String> topics) {
        consumer = new KafkaClients(bootstrap).unassignedConsumer("twt-tally", IsolationLevel.READ_COMMITTED);
        List<TopicPartition> partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream())
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call (bounded by a short poll). */
    void refresh() {
        for (int i = 0; i < 20; i++) {
            var batch = consumer.poll(Duration.ofMillis(100));
            if (batch.isEmpty()) {
                return;
            }
            for (ConsumerRecord<String, byte[]> record : batch) {
                records.merge(record.topic(), 1L, Long::sum);
                Set<String> seen = keys.computeIfAbsent(record.topic(), t -> new HashSet<>());
                if (record.value() == null) {
                    // a tombstone on a compacted topic: a re-drive withdrew this key's decision
                    seen.remove(record.key());
                } else {
                    seen.add(record.key());
                }
            }
        }
    }

    long records(String topic) {
        return records.getOrDefault(topic, 0L);
    }

    long distinctKeys(String topic) {
        return keys.getOrDefault(topic, Set.of()).size();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
