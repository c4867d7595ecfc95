package io.twt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.ServiceProcess;
import io.twt.testsupport.TestTopics;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lab.teacher.FaultSettings;
import io.twt.lab.teacher.LabTeacherServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batch mode end to end against the lab's Batch API, with the packaged gateway as a process: queries go into one
 * batch, the gateway is killed while it is open, a new gateway finds it at the provider and waits for it instead
 * of submitting its lines again; once the batch completes every (query, teacher) has exactly one OK record. Then
 * an expired batch's lines are asked online.
 */
class BatchModeIT {

    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);
    private static final Duration START = Duration.ofSeconds(240);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aBatchOpenAcrossARestartIsSubmittedOnceAndLosesNoLine() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "batch-mode-" + System.nanoTime()).toAbsolutePath());
        try (LocalKafka kafka = LocalKafka.startTemporary();
             LabTeacherServer lab = LabTeacherServer.start("127.0.0.1", 0, FaultSettings.none())) {
            lab.holdBatches(true);
            Path teachers = dir.resolve("teachers.yaml");
            Files.writeString(teachers, """
                    teachers:
                      - name: batched
                        base-url: %1$s
                        model: lab-terse
                        mode: batch
                        batch-max-requests: 100
                        batch-max-age: 2s
                        batch-poll: 300ms
                        price-per-1k-prompt: 1.0
                        price-per-1k-completion: 1.0
                      - name: online
                        base-url: %1$s
                        model: lab-stepwise
                    """.formatted(lab.baseUrl()));
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TWT_TEACHERS_FILE", teachers.toString());
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            List<Query> first = LabTasks.generate(TaskKind.MATH, Split.EVAL, 12, 31);
            Set<String> firstIds = first.stream().map(Query::id).collect(Collectors.toSet());

            ServiceProcess gateway = ServiceProcess.start("gateway-1", jar(), env, dir);
            gateway.awaitHealthy(START);
            first.forEach(q -> topics.send(Topic.QUERIES.topicName(), q.id(), QUERIES.encode(q)));
            await("the online teacher answered and one batch holds the 12 lines", Duration.ofSeconds(90),
                    () -> lab.batchesCreated() == 1 && outputs(topics, firstIds).size() == 12);
            assertEquals(12, lab.batchLines().size());

            gateway.kill();
            try (ServiceProcess restarted = ServiceProcess.start("gateway-2", jar(), env, dir)) {
                restarted.awaitHealthy(START);
                // the redelivered queries wait for their lines in the open batch: nothing is submitted again
                Thread.sleep(4000);
                assertEquals(1, lab.batchesCreated(), "a batch was submitted twice");
                lab.holdBatches(false);

                List<TeacherOutput> done = await("every query answered by both teachers", Duration.ofSeconds(90),
                        () -> outputs(topics, firstIds).size() >= 24, () -> outputs(topics, firstIds));
                assertExactlyOneOkPerTeacher(done, firstIds);
                assertEquals(12, lab.batchLines().size(), "each line sent once");

                // an expired batch: its lines are asked online
                lab.holdBatches(true);
                long chatsBefore = lab.requests();
                List<Query> second = LabTasks.generate(TaskKind.MCQ, Split.EVAL, 4, 32);
                Set<String> secondIds = second.stream().map(Query::id).collect(Collectors.toSet());
                second.forEach(q -> topics.send(Topic.QUERIES.topicName(), q.id(), QUERIES.encode(q)));
                await("a second batch", Duration.ofSeconds(60), () -> lab.batchesCreated() == 2);
                lab.expireOpenBatches();
                List<TeacherOutput> retried = await("the expired lines answered online", Duration.ofSeconds(90),
                        () -> outputs(topics, secondIds).size() >= 8, () -> outputs(topics, secondIds));
                assertExactlyOneOkPerTeacher(retried, secondIds);
                assertTrue(lab.requests() - chatsBefore >= 8, "4 online answers and 4 expired lines asked online");
            }
        }
    }

    private static void assertExactlyOneOkPerTeacher(List<TeacherOutput> outputs, Set<String> ids) {
        Map<String, List<TeacherOutput>> byQuery = outputs.stream().collect(Collectors.groupingBy(TeacherOutput::queryId));
        assertEquals(ids, byQuery.keySet());
        byQuery.forEach((id, perQuery) -> {
            assertEquals(Set.of("batched", "online"), perQuery.stream().map(TeacherOutput::teacher).collect(Collectors.toSet()), id);
            assertEquals(2, perQuery.size(), id + ": " + perQuery);
        });
        outputs.forEach(o -> assertEquals(TeacherStatus.OK, o.status(), o.teacher() + ": " + o.error()));
    }

    private static List<TeacherOutput> outputs(TestTopics topics, Set<String> ids) {
        return topics.committed(Topic.TEACHER_OUTPUTS.topicName()).stream().filter(r -> ids.contains(r.key()))
                .map(r -> OUTPUTS.decode(r.value())).toList();
    }

    private static void await(String what, Duration wait, BooleanSupplier done) throws InterruptedException {
        await(what, wait, done, () -> null);
    }

    private static <T> T await(String what, Duration wait, BooleanSupplier done, java.util.function.Supplier<T> result)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait + ": " + what);
            }
            Thread.sleep(250);
        }
        return result.get();
    }

    private static Path jar() {
        return Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    }
}
