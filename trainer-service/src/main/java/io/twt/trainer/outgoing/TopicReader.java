package io.twt.trainer.outgoing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads committed records of a whole topic from given offsets, without a consumer group: the trainer's look-ups. */
final class TopicReader {

    private final String bootstrapServers;

    TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "trainer-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    Map<Integer, Long> endOffsets(String topic) {
        try (var consumer = consumer()) {
            Map<Integer, Long> offsets = new HashMap<>();
            consumer.endOffsets(partitions(consumer, topic)).forEach((tp, offset) -> offsets.put(tp.partition(), offset));
            return offsets;
        }
    }

    /** Every committed record from {@code from} (partitions not named start at 0) up to the end offsets of now. */
    void readToEnd(String topic, Map<Integer, Long> from, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp.partition(), 0L)));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** Records from {@code from} as they arrive, until {@code done} says so or {@code deadline} passes; false on the deadline. */
    boolean follow(String topic, Map<Integer, Long> from, Consumer<ConsumerRecord<String, byte[]>> each,
                   BooleanSupplier done, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        try (var consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp.partition(), 0L)));
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    return false;
                }
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
            return true;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }
}
