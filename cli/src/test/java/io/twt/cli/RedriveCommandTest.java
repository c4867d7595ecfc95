package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.Redrive;
import io.twt.common.Rejection;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.common.Usage;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.TestTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RedriveCommandTest {

    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);
    private static final RecordCodec<Rejection> REJECTIONS = RecordCodec.of(Rejection.class);
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final Instant T0 = Instant.parse("2026-12-06T03:00:00Z");

    private static TeacherOutput output(String queryId, String teacher, TeacherStatus status, int redrive) {
        Query query = Query.of(queryId, TaskKind.MATH, "What is 2+3?", null, null, "test", "5");
        return new TeacherOutput(SchemaVersion.CURRENT, queryId, query, teacher, 2, status,
                status == TeacherStatus.OK ? "2+3=5" : null, status == TeacherStatus.OK ? "5" : null, Map.of(),
                status == TeacherStatus.OK ? 0.97 : 0.0, Usage.NONE, 5, 1, status == TeacherStatus.OK ? null : "HTTP 400",
                null, redrive);
    }

    private static RedrivePlan.Written at(TeacherOutput output, int minutes) {
        return new RedrivePlan.Written(output, T0.plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void failedOutputsAreAskedAgainUnderTheNextNumberAndOnlyTheLatestAnswerOfATeacherCounts() {
        List<RedrivePlan.Written> outputs = List.of(
                at(output("q1", "a", TeacherStatus.FAILED, 0), 0),
                at(output("q1", "b", TeacherStatus.OK, 0), 0),
                at(output("q2", "a", TeacherStatus.FAILED, 0), 0),
                at(output("q2", "b", TeacherStatus.FAILED, 0), 0),
                at(output("q2", "a", TeacherStatus.OK, 1), 5),
                at(output("q3", "a", TeacherStatus.UNPARSEABLE, 0), 0));
        RedrivePlan.Filter failed = new RedrivePlan.Filter(RedrivePlan.Status.FAILED, Optional.empty(), Optional.empty());

        List<Query> plan = RedrivePlan.plan(outputs, Map.of(), failed);

        assertEquals(List.of("q1", "q2"), plan.stream().map(Query::id).toList(), "UNPARSEABLE is not FAILED");
        assertEquals(new Redrive(1, List.of("a")), plan.get(0).redrive());
        assertEquals(new Redrive(2, List.of("b")), plan.get(1).redrive(), "a answered re-drive 1; b is still failed");
        assertEquals(List.of("q2"), RedrivePlan.plan(outputs, Map.of(),
                new RedrivePlan.Filter(RedrivePlan.Status.FAILED, Optional.of("b"), Optional.empty())).stream().map(Query::id).toList());
        assertEquals(List.of(), RedrivePlan.plan(outputs, Map.of(),
                new RedrivePlan.Filter(RedrivePlan.Status.FAILED, Optional.empty(), Optional.of(T0.plusSeconds(60)))));
    }

    @Test
    void allFailedTakesTheQueriesRejectedSoAndReAsksEveryTeacherThatDidNotAnswer() {
        List<RedrivePlan.Written> outputs = List.of(
                at(output("q1", "a", TeacherStatus.FAILED, 0), 0),
                at(output("q1", "b", TeacherStatus.UNPARSEABLE, 0), 0),
                at(output("q2", "a", TeacherStatus.FAILED, 0), 0),
                at(output("q2", "b", TeacherStatus.OK, 0), 0));
        Map<String, Rejection> rejections = Map.of(
                "q1", new Rejection(SchemaVersion.CURRENT, "q1", Rejection.Reason.ALL_FAILED, "2 of 2 failed"),
                "q2", new Rejection(SchemaVersion.CURRENT, "q2", Rejection.Reason.ALL_LOW_CONFIDENCE, "low"));

        List<Query> plan = RedrivePlan.plan(outputs, rejections,
                new RedrivePlan.Filter(RedrivePlan.Status.ALL_FAILED, Optional.empty(), Optional.empty()));

        assertEquals(1, plan.size());
        assertEquals(new Redrive(1, List.of("a", "b")), plan.getFirst().redrive());
    }

    @Test
    void optionsAreReadOrRefusedWithTheirMistake() {
        Instant now = Instant.parse("2026-12-06T05:00:00Z");
        RedrivePlan.Filter filter = RedriveCommand.filter("a", "2h", "ALL_FAILED", now);
        assertEquals(new RedrivePlan.Filter(RedrivePlan.Status.ALL_FAILED, Optional.of("a"), Optional.of(Instant.parse("2026-12-06T03:00:00Z"))), filter);
        assertEquals(Optional.of(T0), RedriveCommand.filter(null, "2026-12-06T03:00:00Z", null, now).since());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedriveCommand.filter(null, null, "OK", now))
                .getMessage().contains("FAILED or ALL_FAILED"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedriveCommand.filter(null, "yesterday", null, now))
                .getMessage().contains("--since takes"));
    }

    @Test
    @Timeout(120)
    void pushesEachFailedQueryBackOntoTheQueriesTopicWithItsRedrive() throws Exception {
        try (LocalKafka kafka = LocalKafka.startTemporary();
             var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            for (TeacherOutput output : List.of(output("r1", "a", TeacherStatus.FAILED, 0), output("r1", "b", TeacherStatus.FAILED, 0),
                    output("r2", "a", TeacherStatus.OK, 0), output("r2", "b", TeacherStatus.OK, 0))) {
                producer.send(new ProducerRecord<>(Topic.TEACHER_OUTPUTS.topicName(), output.queryId(), OUTPUTS.encode(output))).get();
            }
            Rejection rejection = new Rejection(SchemaVersion.CURRENT, "r1", Rejection.Reason.ALL_FAILED, "2 of 2 failed");
            producer.send(new ProducerRecord<>(Topic.REJECTED_QUERIES.topicName(), "r1", REJECTIONS.encode(rejection))).get();

            List<Query> pushed = RedriveCommand.redrive(kafka.bootstrapServers(),
                    RedriveCommand.filter(null, null, "ALL_FAILED", Instant.now()));

            assertEquals(1, pushed.size());
            Query onTopic = new TestTopics(kafka.bootstrapServers()).awaitRecords(Topic.QUERIES.topicName(), 1,
                    r -> r.key().equals("r1"), Duration.ofSeconds(30)).stream()
                    .map(r -> QUERIES.decode(r.value())).max(Comparator.comparingInt(Query::redriveNumber)).orElseThrow();
            assertEquals(new Redrive(1, List.of("a", "b")), onTopic.redrive());
        }
    }
}
