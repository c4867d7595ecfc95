package io.twt.compression;

import io.twt.testsupport.ServiceProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.RecordCodec;
import io.twt.common.StudentDraft;
import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.TestTopics;
import io.twt.lab.teacher.FaultSettings;
import io.twt.lab.teacher.LabTeacherServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole compression path as it runs in production, over real HTTP and a real broker: lab teachers behind
 * their OpenAI-compatible server, teacher-gateway's chat API (its packaged jar), and compression-service (its
 * packaged jar), killed with SIGKILL in the middle of its drafts and started again.
 */
class CompressionRestartIT {

    private static final RecordCodec<StudentDraft> DRAFTS = RecordCodec.of(StudentDraft.class);
    private static final RecordCodec<CompressedRationale> COMPRESSED = RecordCodec.of(CompressedRationale.class);
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path GATEWAY_JAR = MODULE.resolveSibling("teacher-gateway").resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path SERVICE_JAR = MODULE.resolve("target/quarkus-app/quarkus-run.jar");

    /** Kept after the run, for reading what each process did. */
    private final Path logs = MODULE.resolve("target/it-logs");

    @Test
    @Timeout(300)
    void everyDraftEndsInExactlyOneCompressedRationaleAcrossAKill() throws Exception {
        List<StudentDraft> drafts = LabDrafts.drafts(1, 16, 7L);
        Files.createDirectories(logs);
        try (LocalKafka kafka = LocalKafka.startTemporary();
             // each rewrite takes 300 ms, so a batch is in flight long enough to be killed in the middle
             LabTeacherServer lab = LabTeacherServer.start("127.0.0.1", 0,
                     FaultSettings.none().withLatency(Duration.ofMillis(300), Duration.ZERO));
             ServiceProcess gateway = ServiceProcess.start("teacher-gateway", GATEWAY_JAR, Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "TWT_GATEWAY_LAB_URL", lab.baseUrl()), logs).awaitHealthy(Duration.ofSeconds(120))) {
            Map<String, String> env = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TWT_GATEWAY_URL", gateway.url(),
                    "TWT_COMPRESSION_KAFKA_MAX_POLL_RECORDS", "6",
                    "TWT_COMPRESSION_CONCURRENCY", "2");
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            for (StudentDraft draft : drafts) {
                topics.send(Topic.STUDENT_DRAFTS.topicName(), draft.key(), DRAFTS.encode(draft));
            }

            ServiceProcess first = ServiceProcess.start("compression-service", SERVICE_JAR, env, logs).awaitHealthy(Duration.ofSeconds(120));
            // two batches of six asked and committed, the third one half asked: the kill leaves an open transaction
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (lab.requests() < 14) {
                    assertTrue(System.nanoTime() < deadline, "fewer than 14 teacher calls in 120s; see " + first.log());
                    ServiceProcess.sleep(10);
                }
            } finally {
                first.kill();
            }
            int committedAtKill = topics.committed(Topic.COMPRESSED_RATIONALES.topicName()).size();
            assertTrue(committedAtKill < drafts.size(), "the kill came before the last draft: " + committedAtKill);

            try (ServiceProcess second = ServiceProcess.start("compression-service", SERVICE_JAR, env, logs)
                    .awaitHealthy(Duration.ofSeconds(120))) {
                topics.awaitRecords(Topic.COMPRESSED_RATIONALES.topicName(), drafts.size(), r -> true, Duration.ofSeconds(180));
                // one more batch's time for a duplicate to show up, if the restart were to write one
                ServiceProcess.sleep(3000);
                List<ConsumerRecord<String, byte[]>> records = topics.committed(Topic.COMPRESSED_RATIONALES.topicName());
                Map<String, Long> perKey = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
                assertEquals(drafts.size(), records.size(), "one committed record per draft: " + perKey);
                assertEquals(drafts.stream().map(StudentDraft::key).collect(Collectors.toSet()), perKey.keySet());

                Map<String, StudentDraft> byKey = drafts.stream().collect(Collectors.toMap(StudentDraft::key, Function.identity()));
                Map<CompressionMethod, Integer> methods = new HashMap<>();
                double original = 0;
                double compressed = 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    CompressedRationale rationale = COMPRESSED.decode(record.value());
                    methods.merge(rationale.method(), 1, Integer::sum);
                    original += rationale.originalTokens();
                    compressed += rationale.compressedTokens();
                    assertEquals(byKey.get(record.key()).teacher(), rationale.teacher());
                }
                System.out.printf("methods %s; mean words %.1f -> %.1f; %d of %d committed before the kill%n", methods,
                        original / records.size(), compressed / records.size(), committedAtKill, drafts.size());
                assertTrue(methods.getOrDefault(CompressionMethod.TEACHER_GUIDED, 0) > drafts.size() / 2, methods.toString());
                assertTrue(compressed < original, "compressed rationales are shorter on average");
            }
        }
    }
}
