package io.twt.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LocalKafkaTest {

    @Test
    @Timeout(120)
    void startsCreatesTheCatalogueCarriesRecordsAndDeletesItsDataOnClose() throws Exception {
        Path dataDir;
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            dataDir = kafka.dataDir();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Set<String> names = admin.listTopics().names().get();
                assertTrue(names.containsAll(Topic.allNames()), "catalogue topics missing: " + names);
            }
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-kafka-test"), new StringSerializer(), new StringSerializer())) {
                // a transaction proves the single-node settings for internal topics are in place
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topic.QUERIES.topicName(), "q-1", "{}"));
                producer.commitTransaction();
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "local-kafka-test",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topic.QUERIES.topicName()));
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    records = consumer.poll(Duration.ofMillis(500));
                }
                assertEquals(1, records.count());
                assertEquals("q-1", records.iterator().next().key());
            }
        }
        assertFalse(Files.exists(dataDir), "data directory should be deleted");
    }

    @Test
    @Timeout(120)
    void everyCataloguePartitionTakesARecordWithoutRetryTheMomentStartReturns() throws Exception {
        try (LocalKafka kafka = LocalKafka.startTemporary();
             var producer = new KafkaProducer<String, String>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                     ProducerConfig.RETRIES_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            // without retries, a partition whose leader is not serving yet fails the send with NOT_LEADER_OR_FOLLOWER
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                for (int p = 0; p < topic.partitions(); p++) {
                    sends.add(producer.send(new ProducerRecord<>(topic.topicName(), p, "k", "{}")));
                    sends.add(producer.send(new ProducerRecord<>(topic.dlq(), p, "k", "{}")));
                }
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
    }

    @Test
    @Timeout(180)
    void restartsOnItsDataAndKeepsItsRecords(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (LocalKafka kafka = LocalKafka.start(dir, 0, false);
             var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topic.QUERIES.topicName(), 0, "kept", "{}")).get();
        }
        try (LocalKafka kafka = LocalKafka.start(dir, 0, false);
             var consumer = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(Topic.QUERIES.topicName(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> keys = new ArrayList<>();
            while (keys.isEmpty()) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
            }
            assertEquals(List.of("kept"), keys);
        }
    }
}
