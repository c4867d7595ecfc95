package io.twt.kafka.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a whole topic by assignment, without a consumer group, from given offsets (or the beginning) up to the end
 * offsets captured when the read starts: how a service rebuilds state from a topic before it acts, and how tools
 * and tests look at what a topic holds. Every call opens its own consumer and closes it, so one reader serves any
 * thread. Under {@code read_committed} the end is the last stable offset: a transaction still open is not waited for.
 */
public final class TopicReader {

    /** For reads that must finish however long they take: the state they rebuild is needed whole. */
    public static final Duration NO_LIMIT = Duration.ofNanos(Long.MAX_VALUE);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final Duration FIRST_RECORD_WAIT = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final String clientName;
    private final IsolationLevel isolation;

    TopicReader(KafkaClients clients, String clientName, IsolationLevel isolation) {
        this.clients = clients;
        this.clientName = clientName;
        this.isolation = isolation;
    }

    /** Each partition's end offset now. */
    public Map<Integer, Long> endOffsets(String topic) {
        try (var consumer = clients.unassignedConsumer(clientName, isolation)) {
            Map<Integer, Long> offsets = new HashMap<>();
            consumer.endOffsets(partitions(consumer, topic)).forEach((tp, offset) -> offsets.put(tp.partition(), offset));
            return offsets;
        }
    }

    /**
     * Each partition's offset of its first record at or after {@code time}, or its end offset where it has none:
     * reading from these offsets reads exactly the records written since {@code time}.
     */
    public Map<Integer, Long> offsetsAt(String topic, Instant time) {
        try (var consumer = clients.unassignedConsumer(clientName, isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, time.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<Integer, Long> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp first = found.get(tp);
                offsets.put(tp.partition(), first == null ? ends.get(tp) : first.offset());
            }
            return offsets;
        }
    }

    /** The first record of one partition at or after {@code offset} (or its beginning), if there is one before its end. */
    public Optional<ConsumerRecord<String, byte[]>> firstFrom(String topic, int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (var consumer = clients.unassignedConsumer(clientName, isolation)) {
            consumer.assign(List.of(tp));
            long from = Math.max(offset, consumer.beginningOffsets(List.of(tp)).get(tp));
            if (from >= consumer.endOffsets(List.of(tp)).get(tp)) {
                return Optional.empty();
            }
            consumer.seek(tp, from);
            long started = System.nanoTime();
            while (System.nanoTime() - started < FIRST_RECORD_WAIT.toNanos()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    return Optional.of(record);
                }
            }
            return Optional.empty();
        }
    }

    /** Every record of the topic from its beginning to its end as of now. */
    public void readToEnd(String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        readToEnd(topic, Map.of(), NO_LIMIT, each);
    }

    /**
     * Every record from {@code from} (a partition not named starts at its beginning) to the end offsets of now,
     * handed to {@code each} in order within each partition; false when {@code limit} passed before the end.
     */
    public boolean readToEnd(String topic, Map<Integer, Long> from, Duration limit, Consumer<ConsumerRecord<String, byte[]>> each) {
        return read(topic, from, limit, each, null);
    }

    /**
     * Records from {@code from} (a partition not named starts at its beginning) as they arrive, past the end of now,
     * until {@code done} says so; false when {@code limit} passed first.
     */
    public boolean follow(String topic, Map<Integer, Long> from, Consumer<ConsumerRecord<String, byte[]>> each,
                          BooleanSupplier done, Duration limit) {
        return read(topic, from, limit, each, done);
    }

    /** The one polling loop: up to the end offsets captured here when {@code done} is null, else until it says so. */
    private boolean read(String topic, Map<Integer, Long> from, Duration limit, Consumer<ConsumerRecord<String, byte[]>> each,
                         BooleanSupplier done) {
        try (var consumer = clients.unassignedConsumer(clientName, isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            List<TopicPartition> fromBeginning = partitions.stream().filter(tp -> !from.containsKey(tp.partition())).toList();
            if (!fromBeginning.isEmpty()) {
                // an empty list would mean every assigned partition
                consumer.seekToBeginning(fromBeginning);
            }
            partitions.stream().filter(tp -> from.containsKey(tp.partition()))
                    .forEach(tp -> consumer.seek(tp, from.get(tp.partition())));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            BooleanSupplier finished = done != null ? done
                    : () -> partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            long started = System.nanoTime();
            while (!finished.getAsBoolean()) {
                if (System.nanoTime() - started > limit.toNanos()) {
                    return false;
                }
                consumer.poll(POLL).forEach(each);
            }
            return true;
        }
    }

    /** The topic's partitions; a topic only just created (or auto-created by this very look-up) may take a moment to show them. */
    private static List<TopicPartition> partitions(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic) {
        long started = System.nanoTime();
        while (System.nanoTime() - started < METADATA_WAIT.toNanos()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_WAIT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the partitions of " + topic, e);
            }
        }
        throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_WAIT.toSeconds() + "s");
    }
}
