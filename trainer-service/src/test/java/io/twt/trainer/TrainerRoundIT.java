package io.twt.trainer;

import io.twt.testsupport.ServiceProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.twt.common.DistillSampleSet;
import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.StudentPrompt;
import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.TestTopics;
import io.twt.lab.teacher.FaultSettings;
import io.twt.lab.teacher.LabTeacherServer;
import io.twt.trainer.domain.RoundLedger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One round of HaRD as it runs in production: lab teachers behind their HTTP server, teacher-gateway and
 * compression-service (their packaged jars) and the trainer (its packaged jar) over a real broker, with a lab
 * student made from nothing. The trainer is killed with SIGKILL in the middle of stage 2 and started again;
 * afterwards a second round is asked for over HTTP.
 */
class TrainerRoundIT {

    private static final RecordCodec<DistillSampleSet> PAIRS = RecordCodec.of(DistillSampleSet.class);
    private static final RecordCodec<ModelVersion> VERSIONS = RecordCodec.of(ModelVersion.class);
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path GATEWAY_JAR = MODULE.resolveSibling("teacher-gateway").resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path COMPRESSION_JAR = MODULE.resolveSibling("compression-service").resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path TRAINER_JAR = MODULE.resolve("target/quarkus-app/quarkus-run.jar");
    private static final int ROUND_QUERIES = 20;

    @Test
    @Timeout(900)
    void roundRunsThreeStagesAcrossAKillAndAnnouncesEachStageOnce() throws Exception {
        Path logs = Files.createDirectories(MODULE.resolve("target/it-logs"));
        Path store = Files.createDirectories(MODULE.resolve("target/it-store-" + System.nanoTime()));
        List<DistillSampleSet> pairs = LabPairs.pairs(ROUND_QUERIES + 5, 11L);
        try (LocalKafka kafka = LocalKafka.startTemporary();
             LabTeacherServer lab = LabTeacherServer.start("127.0.0.1", 0, FaultSettings.none());
             ServiceProcess gateway = ServiceProcess.start("teacher-gateway", GATEWAY_JAR, Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "TWT_GATEWAY_LAB_URL", lab.baseUrl()), logs);
             ServiceProcess compression = ServiceProcess.start("compression-service", COMPRESSION_JAR, Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "TWT_GATEWAY_URL", gateway.url()), logs)) {
            gateway.awaitHealthy(Duration.ofSeconds(180));
            compression.awaitHealthy(Duration.ofSeconds(180));
            Map<String, String> env = Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                    Map.entry("TWT_TRAINER_MODEL_STORE", store.toString()),
                    Map.entry("TWT_TRAINER_LAB_BASE_CACHE", store.resolve("cache").toString()),
                    Map.entry("TWT_TRAINER_LAB_BASE_SPEC", "smoke"),
                    Map.entry("TWT_TRAINER_ROUND_MIN_NEW_QUERIES", String.valueOf(ROUND_QUERIES)),
                    Map.entry("TWT_TRAINER_ROUND_CHECK_INTERVAL", "1s"),
                    Map.entry("TWT_TRAINER_TRAINING_EPOCHS", "3"),
                    Map.entry("TWT_TRAINER_TRAINING_CHECKPOINT_EVERY", "2"),
                    Map.entry("TWT_TRAINER_TRAINING_MAX_LENGTH", "384"),
                    Map.entry("TWT_TRAINER_DRAFTS_MAX_NEW_TOKENS", "48"),
                    Map.entry("TWT_TRAINER_COMPRESSION_DEADLINE", "180s"));
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            for (DistillSampleSet pair : pairs.subList(0, ROUND_QUERIES)) {
                topics.send(Topic.DIVERSE_PAIRS.topicName(), pair.queryId(), PAIRS.encode(pair));
            }

            ServiceProcess first = ServiceProcess.start("trainer-service", TRAINER_JAR, env, logs).awaitHealthy(Duration.ofSeconds(180));
            try {
                topics.awaitRecords(Topic.MODEL_VERSIONS.topicName(), 1, r -> r.key().equals("1:1"), Duration.ofSeconds(300));
                // more data while the round trains: it belongs to the next round, not this one
                for (DistillSampleSet pair : pairs.subList(ROUND_QUERIES, pairs.size())) {
                    topics.send(Topic.DIVERSE_PAIRS.topicName(), pair.queryId(), PAIRS.encode(pair));
                }
                awaitCheckpoint(store.resolve("rounds/round-1/stage-2/checkpoints"), first);
            } finally {
                first.kill();
            }

            try (ServiceProcess second = ServiceProcess.start("trainer-service", TRAINER_JAR, env, logs)
                    .awaitHealthy(Duration.ofSeconds(180))) {
                topics.awaitRecords(Topic.MODEL_VERSIONS.topicName(), 1, r -> r.key().equals("1:3"), Duration.ofSeconds(400));
                // time for a second announcement to show up, if the restart were to send one
                ServiceProcess.sleep(3000);
                List<ConsumerRecord<String, byte[]>> versions = topics.committed(Topic.MODEL_VERSIONS.topicName());
                assertEquals(List.of("1:1", "1:2", "1:3"), versions.stream().map(ConsumerRecord::key).sorted().toList(),
                        "each stage announced exactly once");
                List<ModelVersion> decoded = versions.stream().map(r -> VERSIONS.decode(r.value())).toList();
                assertTrue(decoded.stream().allMatch(v -> v.recipe().equals("twt") && v.trainExamples() > 0));

                List<RoundLedger.RoundEntry> rounds = Json.MAPPER.readValue(store.resolve("rounds.json").toFile(),
                        new TypeReference<List<RoundLedger.RoundEntry>>() { });
                RoundLedger.RoundEntry round = rounds.get(0);
                assertEquals(ROUND_QUERIES, round.snapshotQueries(), "data that came during the round waits for the next");
                assertEquals(pairs.size(), Files.readAllLines(store.resolve("distillation-set.jsonl")).size());
                assertTrue(round.stage(2).orElseThrow().resumedFrom() > 0, "stage 2 resumed from its checkpoint: " + round);
                RoundLedger.CompressionEntry compressionPass = round.compressionAfter(1).orElseThrow();
                assertEquals(2 * ROUND_QUERIES, compressionPass.drafts());
                assertEquals(0, compressionPass.missing());

                double stageOne = meanRationaleWords(store.resolve("rounds/round-1/stage-1/train.jsonl"));
                double stageTwo = meanRationaleWords(store.resolve("rounds/round-1/stage-2/train.jsonl"));
                double stageThree = meanRationaleWords(store.resolve("rounds/round-1/stage-3/train.jsonl"));
                System.out.printf("rationale words per example: stage 1 %.1f, stage 2 %.1f, stage 3 %.1f; compression %s%n",
                        stageOne, stageTwo, stageThree, compressionPass);
                assertTrue(stageTwo < stageOne, "stage 2 trains on shorter, compressed rationales");
                assertEquals(0.0, stageThree);

                // a round on request: the five queries that came during round 1 are enough for it
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(second.url() + "/rounds"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, accepted.statusCode(), accepted.body());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                List<RoundLedger.RoundEntry> listed = List.of();
                while (listed.size() < 2) {
                    assertTrue(System.nanoTime() < deadline, "no second round within 60s of POST /rounds");
                    ServiceProcess.sleep(200);
                    listed = Json.MAPPER.readValue(http.send(HttpRequest.newBuilder(URI.create(second.url() + "/rounds")).build(),
                            HttpResponse.BodyHandlers.ofString()).body(), new TypeReference<List<RoundLedger.RoundEntry>>() { });
                }
                assertEquals(pairs.size(), listed.get(1).snapshotQueries());
            }
        }
    }

    private static void awaitCheckpoint(Path checkpoints, ServiceProcess trainer) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(400).toNanos();
        while (true) {
            assertTrue(System.nanoTime() < deadline, "no stage-2 checkpoint within 400s; see " + trainer.log());
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> entries = Files.list(checkpoints)) {
                    if (entries.anyMatch(p -> p.getFileName().toString().matches("step-\\d+"))) {
                        return;
                    }
                }
            }
            ServiceProcess.sleep(20);
        }
    }

    private static double meanRationaleWords(Path trainJsonl) throws IOException {
        List<String> lines = Files.readAllLines(trainJsonl);
        return lines.stream().mapToInt(line -> {
            try {
                String completion = Json.MAPPER.readTree(line).get("completion").asText();
                String rationale = StudentPrompt.rationaleOf(completion);
                return rationale.isEmpty() ? 0 : rationale.split("\\s+").length;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).average().orElseThrow();
    }
}
