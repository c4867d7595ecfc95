package io.twt.compression;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentDraft;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(RewritingTeacherResource.class)
class CompressionServiceBootTest {

    private static final RecordCodec<StudentDraft> DRAFTS = RecordCodec.of(StudentDraft.class);
    private static final RecordCodec<CompressedRationale> COMPRESSED = RecordCodec.of(CompressedRationale.class);

    private final TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());

    static StudentDraft draft(int round, String queryId, String teacher, String question) {
        Query query = Query.of(queryId, TaskKind.MATH, question, null, null, "test", "7");
        return new StudentDraft(SchemaVersion.CURRENT, round, queryId, query, teacher,
                "3 plus 4 is 7. We count 3 apples, then 4 more, and check the sum twice to be sure.", "7",
                "3+4=7\n#### 7", 6);
    }

    @Test
    void healthIsUpAndMetricsAreServed() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    @Timeout(60)
    void malformedDraftGoesToTheDeadLetterTopicWithItsReason() {
        topics.send(Topic.STUDENT_DRAFTS.topicName(), "1:bad:t", "{\"schemaVersion\":1,\"round\":1}".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topic.STUDENT_DRAFTS.dlq(), "1:bad:t");
        String reason = topics.header(dead, DeadLetterHeaders.REASON);
        assertTrue(reason.startsWith("missing field"), reason);
        assertEquals(Topic.STUDENT_DRAFTS.topicName(), topics.header(dead, DeadLetterHeaders.TOPIC));
    }

    @Test
    @Timeout(90)
    void teacherRewriteThroughTheGatewayApiBecomesTheCompressedRationale() {
        StudentDraft good = draft(1, "q-good", "teacher-a", "Tom has 3 apples and buys 4. How many?");
        StudentDraft bad = draft(1, "q-bad", "teacher-b", "How many? " + RewritingTeacherServer.CONTRADICT);
        topics.send(Topic.STUDENT_DRAFTS.topicName(), good.key(), DRAFTS.encode(good));
        topics.send(Topic.STUDENT_DRAFTS.topicName(), bad.key(), DRAFTS.encode(bad));

        List<CompressedRationale> compressed = topics.awaitRecords(Topic.COMPRESSED_RATIONALES.topicName(), 2,
                        r -> r.key().startsWith("1:q-"), Duration.ofSeconds(60))
                .stream().map(r -> COMPRESSED.decode(r.value())).toList();
        CompressedRationale rewritten = compressed.stream().filter(c -> c.queryId().equals("q-good")).findFirst().orElseThrow();
        assertEquals(CompressionMethod.TEACHER_GUIDED, rewritten.method());
        assertEquals("3 plus 4 is 7.", rewritten.rationale());
        assertTrue(rewritten.compressedTokens() < rewritten.originalTokens());

        CompressedRationale kept = compressed.stream().filter(c -> c.queryId().equals("q-bad")).findFirst().orElseThrow();
        assertEquals(CompressionMethod.FALLBACK_ORIGINAL, kept.method());
        assertEquals(bad.teacherRationale(), kept.rationale());
        assertEquals(2, RewritingTeacherResource.server.calls("teacher-b"), "the contradicting teacher is asked twice");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("twt_compression_rationales_total{method=\"fallback-original\"}"))
                .body(containsString("twt_compression_rejected_rewrites_total{reason=\"CONTRADICTS_ANSWER\"}"));
    }
}
