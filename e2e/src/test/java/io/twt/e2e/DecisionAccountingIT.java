package io.twt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.DeadLetterHeaders;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The accounting invariant of DCRS across processes: lab teachers behind their HTTP server, teacher-gateway,
 * embedding-service and sampler-service (their packaged jars) over a real broker. Sampler and embedding-service
 * are killed with SIGKILL while queries are in flight, more queries arrive while they are down, and both start
 * again on the same state: every query gets exactly one decision (diverse pair or rejection), and malformed
 * queries pushed among them end on {@code twt.queries.dlq} with their reason.
 */
class DecisionAccountingIT {

    private static final Path ROOT = Path.of(System.getProperty("twt.root", "..")).toAbsolutePath().normalize();
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final int PER_KIND = 20;
    private static final Duration START = Duration.ofSeconds(240);

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyQueryIsDecidedExactlyOnceAcrossKillsOfSamplerAndEmbedding() throws Exception {
        Path work = Files.createDirectories(ROOT.resolve("e2e/target/accounting-" + System.nanoTime()));
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<Query> queries = Stream.of(TaskKind.values())
                .flatMap(kind -> LabTasks.generate(kind, Split.TRAIN, PER_KIND, 5L).stream()).toList();
        List<Query> beforeKill = queries.subList(0, queries.size() / 2);
        List<Query> whileDown = queries.subList(queries.size() / 2, queries.size());

        try (LocalKafka kafka = LocalKafka.startTemporary();
             LabTeacherServer lab = LabTeacherServer.start("127.0.0.1", 0, FaultSettings.none());
             ServiceProcess gateway = ServiceProcess.start("teacher-gateway", jar("teacher-gateway"), Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "TWT_GATEWAY_LAB_URL", lab.baseUrl()), logs)) {
            Map<String, String> embeddingEnv = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TWT_EMBEDDING_CACHE_DIR", work.resolve("models").toString());
            // the restarted sampler finds the state directory of the killed one, as a restarted pod with its volume does
            Map<String, String> samplerEnv = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "KAFKA_STREAMS_STATE_DIR", work.resolve("sampler-state").toString());
            TestTopics topics = new TestTopics(kafka.bootstrapServers());

            ServiceProcess embedding = ServiceProcess.start("embedding-service", jar("embedding-service"), embeddingEnv, logs);
            ServiceProcess sampler = ServiceProcess.start("sampler-service", jar("sampler-service"), samplerEnv, logs);
            int decidedAtKill;
            try {
                gateway.awaitHealthy(START);
                embedding.awaitHealthy(START);
                sampler.awaitHealthy(START);
                beforeKill.forEach(q -> topics.send(Topic.QUERIES.topicName(), q.id(), QUERIES.encode(q)));
                topics.awaitRecords(Topic.DIVERSE_PAIRS.topicName(), 5, r -> true, START);
                decidedAtKill = decisions(topics).size();
            } finally {
                sampler.kill();
                embedding.kill();
            }
            System.out.printf("killed sampler and embedding-service with %d of %d queries decided%n",
                    decidedAtKill, queries.size());
            whileDown.forEach(q -> topics.send(Topic.QUERIES.topicName(), q.id(), QUERIES.encode(q)));
            // bad input in the same stream: its place in the invariant is twt.queries.dlq, with the reason
            topics.send(Topic.QUERIES.topicName(), "not-json", "{\"id\": ");
            topics.send(Topic.QUERIES.topicName(), "no-text", "{\"schemaVersion\":1,\"id\":\"no-text\",\"task\":\"math\"}");

            try (ServiceProcess embeddingAgain = ServiceProcess.start("embedding-service", jar("embedding-service"), embeddingEnv, logs);
                 ServiceProcess samplerAgain = ServiceProcess.start("sampler-service", jar("sampler-service"), samplerEnv, logs)) {
                embeddingAgain.awaitHealthy(START);
                samplerAgain.awaitHealthy(START);
                awaitDecisions(topics, queries.size(), Duration.ofMinutes(6));
                // time for a second decision of some query to show up, if a restart were to make one
                ServiceProcess.sleep(5000);

                Map<String, Long> perQuery = decisions(topics).stream()
                        .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.counting()));
                Set<String> ids = queries.stream().map(Query::id).collect(Collectors.toSet());
                assertEquals(ids, perQuery.keySet(), "one decision for every query pushed, none for anything else");
                assertTrue(perQuery.values().stream().allMatch(n -> n == 1),
                        "decided more than once: " + perQuery.entrySet().stream().filter(e -> e.getValue() > 1).toList());
                assertTrue(decidedAtKill < queries.size(), "the kill came before the run was over");
                List<ConsumerRecord<String, byte[]>> deadQueries = topics.committed(Topic.QUERIES.dlq());
                assertEquals(List.of("no-text", "not-json"), deadQueries.stream().map(ConsumerRecord::key).sorted().toList());
                assertTrue(deadQueries.stream().allMatch(r -> topics.header(r, DeadLetterHeaders.REASON) != null),
                        "every dead-lettered query says why");
                for (Topic topic : List.of(Topic.TEACHER_OUTPUTS, Topic.QUALITY_FILTERED, Topic.RATIONALE_EMBEDDINGS)) {
                    assertEquals(0, topics.committed(topic.dlq()).size(), "nothing is dead-lettered on " + topic.dlq());
                }
                assertEquals(3 * queries.size(), topics.committed(Topic.TEACHER_OUTPUTS.topicName()).size(),
                        "each of the three lab teachers answered each query once");
            }
        }
    }

    private static Path jar(String module) {
        return ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Committed records on diverse-pairs and rejected-queries: the sampler's decisions. */
    private static List<ConsumerRecord<String, byte[]>> decisions(TestTopics topics) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(topics.committed(Topic.DIVERSE_PAIRS.topicName()));
        all.addAll(topics.committed(Topic.REJECTED_QUERIES.topicName()));
        return all;
    }

    private static void awaitDecisions(TestTopics topics, int count, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        int decided = 0;
        while (System.nanoTime() < deadline) {
            decided = (int) decisions(topics).stream().map(ConsumerRecord::key).distinct().count();
            if (decided >= count) {
                return;
            }
            ServiceProcess.sleep(1000);
        }
        throw new AssertionError("only " + decided + " of " + count + " queries decided within " + wait.toSeconds() + "s");
    }
}
