package io.twt.testsupport;

import io.twt.kafka.edge.KafkaClients;
import io.twt.kafka.edge.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** Topics as tests see them: send records and wait, bounded, for the ones a service writes (committed ones only). */
public final class TestTopics {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(45);
    // reading a topic to an end already known takes no waiting on other processes
    private static final Duration READ_TO_END = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final TopicReader reader;

    public TestTopics(String bootstrapServers) {
        this.clients = new KafkaClients(bootstrapServers);
        this.reader = clients.topicReader("test");
    }

    public void send(String topic, String key, byte[] value) {
        try (Producer<String, byte[]> producer = clients.producer()) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    public void send(String topic, String key, String value) {
        send(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits for the first record with this key on the topic (read from the beginning). */
    public ConsumerRecord<String, byte[]> awaitRecord(String topic, String key) {
        return awaitRecords(topic, 1, r -> key.equals(r.key()), DEFAULT_WAIT).get(0);
    }

    /** Reads the topic from the beginning until {@code count} records match, or fails after {@code wait}. */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, int count,
                                                             Predicate<ConsumerRecord<String, byte[]>> matching,
                                                             Duration wait) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        boolean all = reader.follow(topic, Map.of(), record -> {
            if (found.size() < count && matching.test(record)) {
                found.add(record);
            }
        }, () -> found.size() >= count, wait);
        if (!all) {
            throw new AssertionError("only " + found.size() + " of " + count + " records on " + topic
                    + " within " + wait.toSeconds() + "s");
        }
        return found;
    }

    /** Every record committed on the topic now (all partitions, from the beginning to the end). */
    public List<ConsumerRecord<String, byte[]>> committed(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        if (!reader.readToEnd(topic, Map.of(), READ_TO_END, records::add)) {
            throw new AssertionError("reading " + topic + " to its end took over " + READ_TO_END.toSeconds() + "s");
        }
        return records;
    }

    public String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
