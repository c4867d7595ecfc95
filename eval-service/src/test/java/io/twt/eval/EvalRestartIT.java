package io.twt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.EvalReport;
import io.twt.common.ModelVersion;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.common.Usage;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.ServiceProcess;
import io.twt.testsupport.TestTopics;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * eval-service as it runs in production (its packaged jar, a real broker), killed with SIGKILL once it has reported
 * a model version, the vanilla student, the chance row and two teachers' rows (code included), then started again
 * on the same topics and model store: the second run publishes no report and runs no code sample, since everything
 * it reads again is already in its committed reports.
 */
class EvalRestartIT {

    private static final RecordCodec<ModelVersion> VERSIONS = RecordCodec.of(ModelVersion.class);
    private static final RecordCodec<EvalReport> REPORTS = RecordCodec.of(EvalReport.class);
    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path SERVICE_JAR = MODULE.resolve("target/quarkus-app/quarkus-run.jar");
    private static final List<String> TEACHERS = List.of("lab-right", "lab-wrong");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path logs = MODULE.resolve("target/it-logs");

    @Test
    @Timeout(600)
    void aRestartReportsNothingTwiceAndRunsNoScoredSampleAgain() throws Exception {
        Files.createDirectories(logs);
        Path store = Files.createTempDirectory("eval-restart-store-");
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            Path model = tinyModel(store.resolve("base"), 42L);
            ModelVersion version = new ModelVersion(SchemaVersion.CURRENT, 1, 1, "twt", model.toString(), null, 30, 900,
                    1.5, 2.0, 4);
            topics.send(Topic.MODEL_VERSIONS.topicName(), version.key(), VERSIONS.encode(version));
            int outputs = 0;
            for (TaskKind kind : TaskKind.values()) {
                for (Query query : LabTasks.generate(kind, Split.EVAL, 3, 11)) {
                    for (String teacher : TEACHERS) {
                        String answer = teacher.equals("lab-right") ? query.gold() : "nothing useful";
                        topics.send(Topic.TEACHER_OUTPUTS.topicName(), query.id(), OUTPUTS.encode(teacherOutput(query, teacher,
                                StudentPrompt.completion(null, answer))));
                        outputs++;
                    }
                }
            }
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TWT_MODEL_STORE", store.toString(), "TWT_EVAL_LIMIT", "3", "TWT_EVAL_MAX_NEW_TOKENS", "12",
                    "TWT_EVAL_BATCH_SIZE", "3", "TWT_EVAL_TEACHER_REPORT_INTERVAL", "1s");
            // student, vanilla, chance and the two teachers, on each of the three task kinds
            Set<String> expectedKeys = new java.util.HashSet<>();
            for (TaskKind kind : TaskKind.values()) {
                expectedKeys.add("1:1:" + kind.wire());
                for (String row : List.of("vanilla", "chance", TEACHERS.get(0), TEACHERS.get(1))) {
                    expectedKeys.add("0:0:" + kind.wire() + ":" + row);
                }
            }

            ServiceProcess first = ServiceProcess.start("eval-service", SERVICE_JAR, env, logs).awaitHealthy(Duration.ofSeconds(180));
            int total = outputs;
            try {
                await("every report of the first run", Duration.ofMinutes(5), () -> reportKeys(topics).containsAll(expectedKeys)
                        && metric(first, "twt_eval_teacher_outputs_total{outcome=\"scored\"}") == total);
                assertTrue(metric(first, "twt_eval_sandbox_samples_total") >= 6, "code ran: teachers' 6, chance's 3");
                // a publication interval for the teachers' rows to settle on their last version
                ServiceProcess.sleep(3000);
            } finally {
                first.kill();
            }
            int reportsBefore = topics.committed(Topic.EVAL_REPORTS.topicName()).size();

            try (ServiceProcess second = ServiceProcess.start("eval-service", SERVICE_JAR, env, logs)
                    .awaitHealthy(Duration.ofSeconds(180))) {
                await("the second run reading every input again", Duration.ofMinutes(3),
                        () -> metric(second, "twt_eval_teacher_outputs_total{outcome=\"not_scored\"}") == total
                                && versionCommitted(kafka.bootstrapServers()));
                // three publication intervals in which a duplicate would show up
                ServiceProcess.sleep(4000);
                List<String> keys = topics.committed(Topic.EVAL_REPORTS.topicName()).stream().map(r -> r.key()).toList();
                assertEquals(reportsBefore, keys.size(), "no report published after the restart: " + keys);
                assertEquals(0.0, metric(second, "twt_eval_sandbox_samples_total"), "no sample ran again");
                assertEquals(0.0, metric(second, "twt_eval_teacher_outputs_total{outcome=\"scored\"}"));
                String report = get(second.url() + "/report.json");
                assertTrue(report.contains("\"lab-right\"") && report.contains("\"lab-wrong\""), "restored teacher rows: " + report);
                System.out.printf("%d reports before the kill (%d keys), %d after the restart; %d teacher outputs read again,"
                        + " none scored%n", reportsBefore, expectedKeys.size(), keys.size(), total);

                // the stack moves to another base model: its vanilla student is scored once, the old one never again
                Path otherBase = tinyModel(store.resolve("other-base"), 43L);
                ModelVersion onOtherBase = new ModelVersion(SchemaVersion.CURRENT, 2, 1, "twt", otherBase.toString(), null,
                        30, 900, 1.5, 2.0, 4);
                topics.send(Topic.MODEL_VERSIONS.topicName(), onOtherBase.key(), VERSIONS.encode(onOtherBase));
                await("the other base's vanilla and student reports", Duration.ofMinutes(3),
                        () -> vanillaBases(topics).stream().filter(otherBase.toString()::equals).count() == 3
                                && reportKeys(topics).contains("2:1:math"));
                ServiceProcess.sleep(2000);
                List<String> vanillaRuns = vanillaBases(topics);
                assertEquals(6, vanillaRuns.size(), "vanilla scored once per base model: " + vanillaRuns);
                assertEquals(3, vanillaRuns.stream().filter(model.toString()::equals).count(), vanillaRuns.toString());
            }
        }
    }

    /** The base model of every vanilla report on the topic, in order (the uncompacted history). */
    private static List<String> vanillaBases(TestTopics topics) {
        return topics.committed(Topic.EVAL_REPORTS.topicName()).stream().filter(r -> r.key().endsWith(":vanilla"))
                .map(r -> REPORTS.decode(r.value()).baseModel()).toList();
    }

    private static TeacherOutput teacherOutput(Query query, String teacher, String answer) {
        return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, TEACHERS.size(), TeacherStatus.OK,
                "step by step", answer, Map.of("correctness", 0.97), 0.97, new Usage(40, 25), 10, 1, null);
    }

    private static Set<String> reportKeys(TestTopics topics) {
        return topics.committed(Topic.EVAL_REPORTS.topicName()).stream().map(r -> r.key()).collect(Collectors.toSet());
    }

    /** Whether eval-service's group has committed the model version, i.e. has handled it (redelivered or not). */
    private static boolean versionCommitted(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("eval-service")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                    .filter(tp -> tp.topic().equals(Topic.MODEL_VERSIONS.topicName()))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            long behind = 0;
            long ahead = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += end.getValue().offset() - (at == null ? 0 : at.offset());
                ahead += at == null ? 0 : at.offset();
            }
            return ahead >= 1 && behind == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    private static double metric(ServiceProcess service, String series) {
        try {
            for (String line : get(service.url() + "/q/metrics").lines().toList()) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return 0;
        } catch (Exception e) {
            return -1;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + timeout.toSeconds() + "s");
            ServiceProcess.sleep(500);
        }
    }

    private static Path tinyModel(Path dir, long seed) throws Exception {
        List<String> corpus = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            for (Query query : LabTasks.generate(kind, Split.TRAIN, 30, 3)) {
                corpus.add(StudentPrompt.prompt(query) + StudentPrompt.completion(null, query.gold()));
            }
        }
        return ModelFactory.createRandom(dir, ModelShape.tiny(), corpus, seed);
    }
}
