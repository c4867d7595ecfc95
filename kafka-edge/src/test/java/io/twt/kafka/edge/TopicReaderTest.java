package io.twt.kafka.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.kafka.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader against a real single-node broker; each test writes to a topic of its own (three partitions). */
@Timeout(120)
class TopicReaderTest {

    private static LocalKafka kafka;
    private static KafkaClients clients;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
        clients = new KafkaClients(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void readsFromTheBeginningUpToTheEndCapturedAtTheStartNotWhatArrivesWhileReading() throws Exception {
        String topic = newTopic();
        try (Producer<String, byte[]> producer = clients.producer()) {
            for (int i = 0; i < 6; i++) {
                send(producer, topic, "k" + i);
            }
            List<String> read = new ArrayList<>();
            boolean atEnd = clients.topicReader("test").readToEnd(topic, Map.of(), Duration.ofSeconds(30), record -> {
                if (read.isEmpty()) {
                    send(producer, topic, "late");
                }
                read.add(record.key());
            });
            assertTrue(atEnd);
            assertEquals(6, read.size(), "read: " + read);
            assertFalse(read.contains("late"));
        }
    }

    @Test
    void readsOnlyCommittedRecordsAndDoesNotWaitForATransactionStillOpen() throws Exception {
        String topic = newTopic();
        try (Producer<String, byte[]> plain = clients.producer();
             Producer<String, byte[]> transactional = clients.transactionalProducer("reader-test-" + UUID.randomUUID())) {
            send(plain, topic, "before");
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, 0, "open", bytes("open"))).get();
            List<String> read = new ArrayList<>();
            clients.topicReader("test").readToEnd(topic, read(read));
            assertEquals(List.of("before"), read);
            transactional.abortTransaction();
        }
    }

    @Test
    void startsEachNamedPartitionAtItsOffsetAndTheOthersAtTheirBeginning() throws Exception {
        String topic = newTopic();
        try (Producer<String, byte[]> producer = clients.producer()) {
            for (String key : List.of("p0-a", "p0-b", "p1-a")) {
                producer.send(new ProducerRecord<>(topic, key.startsWith("p0") ? 0 : 1, key, bytes(key))).get();
            }
        }
        TopicReader reader = clients.topicReader("test");
        List<String> read = new ArrayList<>();
        assertTrue(reader.readToEnd(topic, Map.of(0, 1L), Duration.ofSeconds(30), read(read)));
        assertEquals(List.of("p0-b", "p1-a"), read.stream().sorted().toList());
        assertEquals(Map.of(0, 2L, 1, 1L, 2, 0L), reader.endOffsets(topic));
        assertEquals("p0-b", reader.firstFrom(topic, 0, 1).orElseThrow().key());
        assertTrue(reader.firstFrom(topic, 2, 0).isEmpty(), "an empty partition has no first record");
    }

    @Test
    void offsetsAtATimeSkipEveryRecordWrittenBeforeIt() throws Exception {
        String topic = newTopic();
        TopicReader reader = clients.topicReader("test");
        try (Producer<String, byte[]> producer = clients.producer()) {
            send(producer, topic, "old");
            Thread.sleep(20);
            Instant since = Instant.now();
            Thread.sleep(20);
            send(producer, topic, "new");
            List<String> read = new ArrayList<>();
            reader.readToEnd(topic, reader.offsetsAt(topic, since), Duration.ofSeconds(30), read(read));
            assertEquals(List.of("new"), read);
        }
    }

    @Test
    void followsPastTheEndUntilDoneOrTheLimit() throws Exception {
        String topic = newTopic();
        TopicReader reader = clients.topicReader("test");
        List<String> read = new ArrayList<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (Producer<String, byte[]> producer = clients.producer()) {
                Thread.sleep(500);
                send(producer, topic, "later");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(reader.follow(topic, Map.of(), read(read), () -> read.contains("later"), Duration.ofSeconds(30)));
        writer.join();
        assertFalse(reader.follow(topic, Map.of(), record -> { }, () -> false, Duration.ofMillis(500)), "nothing more comes");
    }

    private static java.util.function.Consumer<ConsumerRecord<String, byte[]>> read(List<String> keys) {
        return record -> keys.add(record.key());
    }

    private static void send(Producer<String, byte[]> producer, String topic, String key) {
        try {
            producer.send(new ProducerRecord<>(topic, key, bytes(key))).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newTopic() {
        return "reader-test-" + UUID.randomUUID();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
