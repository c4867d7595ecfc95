package io.twt.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the committed records and distinct keys of topics as they grow, reading each record once.
 * Offsets overcount on transactional topics (every commit leaves a marker), so progress is counted here.
 */
final class TopicTally implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> records = new HashMap<>();
    private final Map<String, Set<String>> keys = new HashMap<>();

    TopicTally(String bootstrap, List<String> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "twt-tally-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
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
