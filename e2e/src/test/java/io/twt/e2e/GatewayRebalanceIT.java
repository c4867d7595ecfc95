package io.twt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Json;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Scaling the gateway repeats no teacher call: one gateway process answers queries with slow teachers, a second
 * joins the group (a rebalance moves partitions away while their queries are in flight), then the first stops
 * (a second rebalance moves the rest). Every (query, teacher) gets exactly one record on twt.teacher-outputs and
 * the teachers are asked exactly once per pair.
 */
class GatewayRebalanceIT {

    private static final Path ROOT = Path.of(System.getProperty("twt.root", "..")).toAbsolutePath().normalize();
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final int TEACHERS = 3;
    private static final Duration START = Duration.ofSeconds(240);

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aRebalanceRepeatsNoTeacherCallAndWritesNoSecondOutput() throws Exception {
        Path logs = Files.createDirectories(ROOT.resolve("e2e/target/rebalance-" + System.nanoTime()).resolve("logs"));
        List<Query> queries = Stream.of(TaskKind.values())
                .flatMap(kind -> LabTasks.generate(kind, Split.TRAIN, 30, 11L).stream()).toList();
        // slow teachers and few queries at once, so each rebalance finds queries in flight on the partitions it moves
        FaultSettings slow = FaultSettings.none().withLatency(Duration.ofMillis(1000), Duration.ofMillis(1000));
        try (LocalKafka kafka = LocalKafka.startTemporary();
             LabTeacherServer lab = LabTeacherServer.start("127.0.0.1", 0, slow)) {
            Map<String, String> env = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TWT_GATEWAY_LAB_URL", lab.baseUrl(),
                    "TWT_GATEWAY_MAX_QUERIES_IN_FLIGHT", "4");
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            int expected = TEACHERS * queries.size();

            ServiceProcess first = ServiceProcess.start("teacher-gateway-1", jar(), env, logs);
            first.awaitHealthy(START);
            queries.forEach(q -> topics.send(Topic.QUERIES.topicName(), q.id(), QUERIES.encode(q)));
            awaitOutputs(topics, expected / 10, Duration.ofMinutes(3));
            // a scale-up: the second process joins the group while the first has queries in flight
            try (ServiceProcess second = ServiceProcess.start("teacher-gateway-2", jar(), env, logs)) {
                second.awaitHealthy(START);
                int atJoin = outputs(topics).size();
                awaitOutputs(topics, atJoin + expected / 4, Duration.ofMinutes(3));
                // SIGTERM: the first leaves the group, the second takes over every partition
                int atLeave = outputs(topics).size();
                first.close();
                System.out.printf("second gateway joined at %d, first left at %d of %d outputs%n", atJoin, atLeave, expected);
                assertTrue(atLeave < expected, "the first gateway left with work outstanding");

                awaitOutputs(topics, expected, Duration.ofMinutes(4));
                // time for a repeated call's second record to show up, if a rebalance were to cause one
                ServiceProcess.sleep(5000);

                Map<String, Long> perPair = outputs(topics).stream().map(GatewayRebalanceIT::pair)
                        .collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
                List<String> duplicates = perPair.entrySet().stream().filter(e -> e.getValue() > 1)
                        .map(e -> e.getKey() + " x" + e.getValue()).toList();
                assertEquals(List.of(), duplicates, "(query, teacher) pairs written more than once");
                Map<String, Long> perQuery = perPair.keySet().stream()
                        .collect(Collectors.groupingBy(p -> p.substring(0, p.indexOf(' ')), Collectors.counting()));
                Set<String> ids = queries.stream().map(Query::id).collect(Collectors.toSet());
                assertEquals(ids, perQuery.keySet(), "every query answered");
                assertTrue(perQuery.values().stream().allMatch(n -> n == TEACHERS), "every query by all three teachers");
                assertEquals(expected, lab.requests(), "teacher calls: one per (query, teacher), none repeated");
            } finally {
                first.kill();
            }
        }
    }

    private static Path jar() {
        return ROOT.resolve("teacher-gateway/target/quarkus-app/quarkus-run.jar");
    }

    private static List<ConsumerRecord<String, byte[]>> outputs(TestTopics topics) {
        return topics.committed(Topic.TEACHER_OUTPUTS.topicName());
    }

    private static String pair(ConsumerRecord<String, byte[]> record) {
        try {
            JsonNode output = Json.MAPPER.readTree(record.value());
            return output.path("queryId").asText() + " " + output.path("teacher").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitOutputs(TestTopics topics, int count, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = outputs(topics).size();
            if (seen >= count) {
                return;
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("only " + seen + " of " + count + " teacher outputs within " + wait.toSeconds() + "s");
    }
}
