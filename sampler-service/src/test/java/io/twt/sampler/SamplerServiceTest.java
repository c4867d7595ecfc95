package io.twt.sampler;

import static io.restassured.RestAssured.given;
import static io.twt.sampler.TestRecords.embedding;
import static io.twt.sampler.TestRecords.ok;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.RationaleEmbedding;
import io.twt.common.RecordCodec;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sampler as deployed: Quarkus, Kafka Streams with exactly-once, a real broker. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class SamplerServiceTest {

    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);
    private static final RecordCodec<RationaleEmbedding> EMBEDDINGS = RecordCodec.of(RationaleEmbedding.class);

    private final TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());

    @Test
    void healthIsUpAndMetricsAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    @Timeout(120)
    void teacherOutputsBecomeTheLeastSimilarPairOnDiversePairs() {
        for (String teacher : List.of("alpha", "beta", "gamma")) {
            topics.send(Topic.TEACHER_OUTPUTS.topicName(), "q-it", OUTPUTS.encode(ok("q-it", teacher, 3, 0.98)));
        }
        // the test plays the embedding service: it embeds what the sampler kept
        List<ConsumerRecord<String, byte[]>> kept = topics.awaitRecords(Topic.QUALITY_FILTERED.topicName(), 3,
                r -> "q-it".equals(r.key()), Duration.ofSeconds(90));
        for (ConsumerRecord<String, byte[]> record : kept) {
            String teacher = OUTPUTS.decode(record.value()).teacher();
            float[] vector = switch (teacher) {
                case "alpha" -> new float[]{1, 0};
                case "beta" -> new float[]{0, 1};
                default -> new float[]{0.7f, 0.7f};
            };
            topics.send(Topic.RATIONALE_EMBEDDINGS.topicName(), "q-it", EMBEDDINGS.encode(embedding("q-it", teacher, vector)));
        }
        DistillSampleSet set = RecordCodec.of(DistillSampleSet.class)
                .decode(topics.awaitRecord(Topic.DIVERSE_PAIRS.topicName(), "q-it").value());
        assertEquals(List.of("alpha", "beta"), set.samples().stream().map(DistillSample::teacher).toList());
        assertEquals(0.0, set.minSimilarity(), 1e-9);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("twt_sampler_pair_similarity"))
                .body(containsString("twt_sampler_teacher_outputs_total{kept=\"true\",teacher=\"alpha\"}"));
    }

    @Test
    @Timeout(120)
    void aQueryWithoutConfidentAnswersIsRejected() {
        topics.send(Topic.TEACHER_OUTPUTS.topicName(), "q-low", OUTPUTS.encode(ok("q-low", "alpha", 1, 0.3)));
        Rejection rejection = RecordCodec.of(Rejection.class)
                .decode(topics.awaitRecord(Topic.REJECTED_QUERIES.topicName(), "q-low").value());
        assertEquals(Rejection.Reason.ALL_LOW_CONFIDENCE, rejection.reason());
    }

    @Test
    @Timeout(120)
    void malformedTeacherOutputGoesToTheDeadLetterTopicWithItsReason() {
        topics.send(Topic.TEACHER_OUTPUTS.topicName(), "bad-1", "{not json".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topic.TEACHER_OUTPUTS.dlq(), "bad-1");
        assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        String reason = topics.header(dead, DeadLetterHeaders.REASON);
        assertTrue(reason.contains("invalid JSON"), reason);
        assertEquals(Topic.TEACHER_OUTPUTS.topicName(), topics.header(dead, DeadLetterHeaders.TOPIC));
    }
}
