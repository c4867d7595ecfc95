package io.twt.sampler;

import static io.twt.sampler.TestRecords.embedding;
import static io.twt.sampler.TestRecords.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twt.common.RecordCodec;
import io.twt.common.RationaleEmbedding;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.sampler.domain.DcrsSettings;
import io.twt.sampler.incoming.SamplerTopology;
import io.twt.sampler.outgoing.SamplerMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stops the sampler's streams in the middle of a run and starts a new instance on an empty state directory
 * (a pod rescheduled elsewhere): exactly-once processing must give exactly one decision per query.
 */
class SamplerRestartTest {

    private static final int QUERIES = 40;
    private static final List<String> TEACHERS = List.of("alpha", "beta", "gamma");
    private static final DcrsSettings SETTINGS = new DcrsSettings(0.95, Duration.ofMinutes(5), Duration.ofSeconds(1),
            Duration.ofHours(1));

    private static LocalKafka kafka;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        kafka.close();
    }

    @Test
    // above the sum of the waits below, so a slow run fails with the wait's own message
    @Timeout(300)
    void aRestartMidRunStillGivesExactlyOneDecisionPerQuery() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // every third query has no confident teacher and is rejected; the others pick a pair among three
        // first half of the run: all teachers of the rejected queries, two of three for the others
        for (int q = 0; q < QUERIES; q++) {
            for (String teacher : q % 3 == 0 ? TEACHERS : TEACHERS.subList(0, 2)) {
                sendOutput(run, q, teacher);
            }
        }
        long t0 = System.nanoTime();
        KafkaStreams first = start(run);
        // some rejections show the first instance did real work before it is stopped mid-run
        awaitDecisions(QUERIES / 6, Duration.ofSeconds(90));
        System.out.printf("first instance: %d decisions after %.1fs%n", QUERIES / 6, (System.nanoTime() - t0) / 1e9);
        first.close(Duration.ofSeconds(30));
        System.out.printf("first instance stopped after %.1fs%n", (System.nanoTime() - t0) / 1e9);

        // second half: the missing teachers, redelivered duplicates, and every embedding (late ones included)
        for (int q = 0; q < QUERIES; q++) {
            if (q % 3 != 0) {
                sendOutput(run, q, "gamma");
            }
            sendOutput(run, q, "alpha");
            for (String teacher : TEACHERS) {
                sendEmbedding(run, q, teacher);
            }
        }
        producer.flush();
        KafkaStreams second = start(run);
        try {
            awaitDecisions(QUERIES, Duration.ofSeconds(120));
            System.out.printf("second instance: all %d decided after %.1fs%n", QUERIES, (System.nanoTime() - t0) / 1e9);
            // read again for a while: a second decision for any query would show up now
            List<ConsumerRecord<String, byte[]>> decisions = readDecisions(QUERIES + 1, Duration.ofSeconds(10));
            Map<String, Integer> perQuery = new HashMap<>();
            decisions.forEach(r -> perQuery.merge(r.key(), 1, Integer::sum));
            assertEquals(QUERIES, perQuery.size(), "queries decided");
            assertTrue(perQuery.values().stream().allMatch(n -> n == 1), "a query decided twice: " + perQuery);
            assertEquals(QUERIES, decisions.size());
        } finally {
            second.close(Duration.ofSeconds(30));
            System.out.printf("second instance stopped after %.1fs%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    private void sendOutput(String run, int q, String teacher) {
        String queryId = run + "-q" + q;
        double confidence = q % 3 == 0 ? 0.5 : 0.99;
        TeacherOutput output = ok(queryId, teacher, TEACHERS.size(), confidence);
        producer.send(new ProducerRecord<>(Topic.TEACHER_OUTPUTS.topicName(), queryId,
                RecordCodec.of(TeacherOutput.class).encode(output)));
    }

    private void sendEmbedding(String run, int q, String teacher) {
        String queryId = run + "-q" + q;
        int i = TEACHERS.indexOf(teacher);
        RationaleEmbedding embedding = embedding(queryId, teacher, i == 0 ? 1 : 0, i == 1 ? 1 : 0, i == 2 ? 1 : 0.5f);
        producer.send(new ProducerRecord<>(Topic.RATIONALE_EMBEDDINGS.topicName(), queryId,
                RecordCodec.of(RationaleEmbedding.class).encode(embedding)));
    }

    private KafkaStreams start(String run) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sampler-restart-" + run);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sampler-restart").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the stopped instance does not leave the group, as a killed pod would not; the new one waits this long for it
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        KafkaStreams streams = new KafkaStreams(SamplerTopology.build(SETTINGS, new SamplerMetrics(new SimpleMeterRegistry())), props);
        streams.start();
        return streams;
    }

    private List<ConsumerRecord<String, byte[]>> awaitDecisions(int count, Duration wait) {
        List<ConsumerRecord<String, byte[]>> found = readDecisions(count, wait);
        if (found.size() < count) {
            throw new AssertionError("only " + found.size() + " of " + count + " decisions within " + wait.toSeconds() + "s");
        }
        return found;
    }

    /** Reads both decision topics from the start until it has {@code count} records or the wait is over. */
    private List<ConsumerRecord<String, byte[]>> readDecisions(int count, Duration wait) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.DIVERSE_PAIRS.topicName(), Topic.REJECTED_QUERIES.topicName()));
            long deadline = System.nanoTime() + wait.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(found::add);
            }
        }
        return found;
    }
}
