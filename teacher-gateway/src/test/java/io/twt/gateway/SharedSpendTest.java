package io.twt.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherSpend;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spend shared through the real twt.teacher-spend topic: what another replica (or this one before a restart)
 * wrote counts against the budget before the first query is taken; this replica's own spend is written there
 * per teacher and day; and a second member of the consumer group halves each replica's share of the rates.
 */
@QuarkusTest
@TestProfile(SharedSpendTest.SpentElsewhere.class)
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class SharedSpendTest {

    static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();
    private static final RecordCodec<TeacherSpend> SPEND = RecordCodec.of(TeacherSpend.class);

    public static class SpentElsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String bootstrap = LocalKafkaResource.broker().bootstrapServers();
            TeacherSpend other = new TeacherSpend(SchemaVersion.CURRENT, "shared-capped", TODAY, "gw-other", 2000, 500, 2.5, 9);
            try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topic.TEACHER_SPEND.topicName(), other.key(), SPEND.encode(other))).get();
                Path file = Files.createTempFile("teachers-", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, """
                        teachers:
                          - name: shared-capped
                            base-url: %1$s
                            model: lab-terse
                            price-per-1k-prompt: 1.0
                            price-per-1k-completion: 1.0
                            budget-usd: 2.0
                            requests-per-minute: 600
                          - name: shared-open
                            base-url: %1$s
                            model: lab-stepwise
                        """.formatted(LabTeachersResource.server().baseUrl()));
                return Map.of("twt.gateway.teachers-file", file.toString(), "twt.gateway.replica", "gw-this",
                        "twt.gateway.replica-check", "200ms");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("could not write the other replica's spend", e);
            }
        }
    }

    private final GatewayTopics topics = new GatewayTopics(LocalKafkaResource.broker().bootstrapServers());

    @Test
    @Timeout(180)
    void anotherReplicasSpendCountsFromTheStartAndThisReplicasSpendIsWrittenPerTeacherAndDay() throws Exception {
        given().get("/teachers/budgets").then().body("paused", org.hamcrest.Matchers.equalTo(true))
                .body("teachers.find { it.teacher == 'shared-capped' }.spentUsd", org.hamcrest.Matchers.equalTo(2.5f));
        given().get("/q/health/ready").then().body(containsString("budget of 2.0 USD for teacher shared-capped is spent (2.5000 USD)"));
        List<Query> queries = LabTasks.generate(TaskKind.MATH, Split.EVAL, 3, 909);
        Set<String> ids = queries.stream().map(Query::id).collect(Collectors.toSet());
        topics.push(queries);
        Thread.sleep(1500);
        assertEquals(List.of(), topics.allOutputs(ids), "no query is taken while the shared budget is spent");

        given().contentType(ContentType.JSON).body(Map.of("budgetUsd", 100)).post("/teachers/shared-capped/budget").then().statusCode(200);
        List<TeacherOutput> outputs = topics.awaitOutputs(ids, 6, Duration.ofSeconds(60));
        outputs.forEach(o -> assertEquals(TeacherStatus.OK, o.status(), o.teacher() + ": " + o.error()));

        TeacherSpend mine = awaitOwnSpend(3);
        assertEquals("gw-this", mine.replica());
        assertTrue(mine.costUsd() > 0 && mine.promptTokens() > 0, mine.toString());
        given().get("/teachers/spend").then().body("'shared-capped'.'" + TODAY + "'.calls", org.hamcrest.Matchers.equalTo((int) (9 + mine.calls())));

        given().get("/teachers/budgets").then().body("teachers.find { it.teacher == 'shared-capped' }.requestsPerMinute",
                org.hamcrest.Matchers.equalTo(600.0f));
        try (KafkaConsumer<String, byte[]> second = secondMember()) {
            awaitReplicas(second, 2);
            given().get("/teachers/budgets").then().body("teachers.find { it.teacher == 'shared-capped' }.requestsPerMinute",
                    org.hamcrest.Matchers.equalTo(300.0f));
        }
    }

    private static TeacherSpend awaitOwnSpend(int calls) {
        String key = TeacherSpend.key("shared-capped", TODAY, "gw-this");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var latest = new TestTopics(LocalKafkaResource.broker().bootstrapServers()).committed(Topic.TEACHER_SPEND.topicName())
                    .stream().filter(r -> key.equals(r.key())).map(r -> SPEND.decode(r.value()))
                    .reduce((a, b) -> b);
            if (latest.isPresent() && latest.get().calls() >= calls) {
                return latest.get();
            }
        }
        throw new AssertionError("no spend entry with " + calls + " calls for " + key + " on " + Topic.TEACHER_SPEND.topicName());
    }

    private static KafkaConsumer<String, byte[]> secondMember() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafkaResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GatewayTopics.GROUP,
                ConsumerConfig.CLIENT_ID_CONFIG, "second-replica-" + UUID.randomUUID(),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topic.QUERIES.topicName()));
        return consumer;
    }

    /** Polls the second member (so it stays in the group) until the gateway has counted {@code n} replicas. */
    private static void awaitReplicas(KafkaConsumer<String, byte[]> second, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            second.poll(Duration.ofMillis(200));
            Integer counted = given().get("/teachers/budgets").then().extract().path("replicas");
            if (counted == n) {
                return;
            }
        }
        throw new AssertionError("the gateway did not count " + n + " replicas");
    }
}
