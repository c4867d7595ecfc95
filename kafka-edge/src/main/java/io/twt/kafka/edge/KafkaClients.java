package io.twt.kafka.edge;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every Kafka client twt builds by hand (SmallRye builds its channels' own from {@code application.properties}).
 * Keys are strings and values the bytes a topic's codec reads; the settings exactly-once rests on (transactional
 * ids, idempotence, {@code read_committed}, offsets committed only inside a transaction) are chosen here once.
 */
public record KafkaClients(String bootstrapServers) {

    /** Reads topics by assignment, outside any consumer group: it commits nothing. */
    public TopicReader topicReader(String clientName) {
        return topicReader(clientName, IsolationLevel.READ_COMMITTED);
    }

    /** As {@link #topicReader(String)}, for a topic whose producers are not transactional and never were. */
    public TopicReader topicReader(String clientName, IsolationLevel isolation) {
        return new TopicReader(this, clientName, isolation);
    }

    /** A consumer with no group, assigned partitions by hand: the reader's, and the CLI's live tally. */
    public Consumer<String, byte[]> unassignedConsumer(String clientName, IsolationLevel isolation) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientName + "-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A member of {@code groupId} for consume-transform-produce: it sees only committed records (nothing of an
     * aborted upstream transaction) and commits its offsets only through a transactional producer.
     */
    public Consumer<String, byte[]> transactionalMember(String groupId, int maxPollRecords, int maxPollIntervalMs) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The client's defaults: for tools and tests that send a few records and wait for them. */
    public Producer<String, byte[]> producer() {
        return producer(Map.of());
    }

    /** Retries never write a record twice, and a send is acknowledged once every replica has it. */
    public Producer<String, byte[]> idempotentProducer() {
        return producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"));
    }

    /**
     * A producer whose transactions are ready to begin. {@code transactionalId} must stay the same across restarts
     * of one writer: the next instance with it fences the crashed one and aborts its open transaction.
     */
    public Producer<String, byte[]> transactionalProducer(String transactionalId) {
        Producer<String, byte[]> producer = producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        try {
            producer.initTransactions();
            return producer;
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    private Producer<String, byte[]> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
