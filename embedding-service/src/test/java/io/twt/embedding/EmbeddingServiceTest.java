package io.twt.embedding;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.Query;
import io.twt.common.RationaleEmbedding;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.common.Usage;
import io.twt.embedding.domain.SentenceEncoder;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class EmbeddingServiceTest {

    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);
    private static final RecordCodec<RationaleEmbedding> EMBEDDINGS = RecordCodec.of(RationaleEmbedding.class);

    @Inject
    SentenceEncoder encoder;

    private final TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());

    @Test
    void healthIsUpAndMetricsAreServed() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void embedReturnsOneUnitVectorPerText() {
        given().contentType("application/json").body(Map.of("texts", List.of("six times seven is 42", "x = 5")))
                .post("/embed").then().statusCode(200)
                .body("model", equalTo("all-MiniLM-L6-v2"))
                .body("dimension", equalTo(384))
                .body("vectors", hasSize(2))
                .body("vectors[0]", hasSize(384));
        given().contentType("application/json").body(Map.of("texts", List.of())).post("/embed").then().statusCode(400);
    }

    @Test
    @Timeout(90)
    void keptRationalesAreEmbeddedOntoTheEmbeddingsTopic() {
        for (String teacher : List.of("alpha", "beta", "gamma")) {
            topics.send(Topic.QUALITY_FILTERED.topicName(), "q-embed", OUTPUTS.encode(output("q-embed", teacher)));
        }
        List<ConsumerRecord<String, byte[]>> records = topics.awaitRecords(Topic.RATIONALE_EMBEDDINGS.topicName(), 3,
                r -> "q-embed".equals(r.key()), Duration.ofSeconds(60));
        for (ConsumerRecord<String, byte[]> record : records) {
            RationaleEmbedding embedding = EMBEDDINGS.decode(record.value());
            assertEquals("all-MiniLM-L6-v2", embedding.model());
            float[] expected = encoder.embed(List.of("rationale of " + embedding.teacher() + ": 6 * 7 = 42")).get(0);
            assertEquals(expected.length, embedding.vector().length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], embedding.vector()[i], 1e-4f);
            }
        }
    }

    @Test
    @Timeout(90)
    void malformedRecordGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
        topics.send(Topic.QUALITY_FILTERED.topicName(), "bad-1", "{not json".getBytes(StandardCharsets.UTF_8));
        topics.send(Topic.QUALITY_FILTERED.topicName(), "q-after-bad", OUTPUTS.encode(output("q-after-bad", "alpha")));
        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topic.QUALITY_FILTERED.dlq(), "bad-1");
        assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        String reason = topics.header(dead, DeadLetterHeaders.REASON);
        assertTrue(reason.contains("invalid JSON"), reason);
        assertEquals(Topic.QUALITY_FILTERED.topicName(), topics.header(dead, DeadLetterHeaders.TOPIC));
        topics.awaitRecord(Topic.RATIONALE_EMBEDDINGS.topicName(), "q-after-bad");
    }

    private static TeacherOutput output(String queryId, String teacher) {
        Query query = Query.of(queryId, TaskKind.MATH, "What is 6 * 7?", null, null, "test", "42");
        return new TeacherOutput(SchemaVersion.CURRENT, queryId, query, teacher, 3, TeacherStatus.OK,
                "rationale of " + teacher + ": 6 * 7 = 42", "42", Map.of(), 0.99, Usage.NONE, 5, 1, null);
    }
}
