package io.twt.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(TempStoreResource.class)
class TrainerServiceBootTest {

    private final TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());

    @Test
    void healthIsUpAndMetricsAreServed() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'student-kernels' }.data.kernels", oneOf("mkl-intel-path", "mkl-default"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("twt_trainer_tokens_per_second"));
    }

    @Test
    void progressSaysInOneLineThatNoRoundIsTraining() {
        given().get("/rounds/progress").then().statusCode(200).body(startsWith("trainer: idle, "));
    }

    @Test
    @Timeout(60)
    void malformedDiversePairGoesToTheDeadLetterTopicWithItsReason() {
        topics.send(Topic.DIVERSE_PAIRS.topicName(), "bad-1", "[1, 2]".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topic.DIVERSE_PAIRS.dlq(), "bad-1");
        String reason = topics.header(dead, DeadLetterHeaders.REASON);
        assertTrue(reason.contains("DistillSampleSet"), reason);
    }

    @Test
    @Timeout(60)
    void diversePairsAreWrittenIntoTheDistillationSetOncePerQuery() throws Exception {
        Query query = Query.of("boot-q1", TaskKind.MATH, "What is 1 + 1?", null, null, "test", "2");
        DistillSampleSet pair = new DistillSampleSet(SchemaVersion.CURRENT, "boot-q1", query,
                List.of(new DistillSample("a", "One and one make two.", "2", 0.98)), null, 1, 3);
        byte[] value = RecordCodec.of(DistillSampleSet.class).encode(pair);
        topics.send(Topic.DIVERSE_PAIRS.topicName(), "boot-q1", value);
        topics.send(Topic.DIVERSE_PAIRS.topicName(), "boot-q1", value);
        // same key, same partition: once this one is dead-lettered, the redelivered copy before it has been handled
        topics.send(Topic.DIVERSE_PAIRS.topicName(), "boot-q1", "{}".getBytes(StandardCharsets.UTF_8));
        topics.awaitRecord(Topic.DIVERSE_PAIRS.dlq(), "boot-q1");
        Path file = TempStoreResource.store.resolve("distillation-set.jsonl");
        assertEquals(1, Files.readAllLines(file).stream().filter(l -> l.contains("boot-q1")).count());
        given().get("/rounds").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void exportNamesWhatIsWrongWithARequest() {
        given().get("/export?stage=1&format=csv").then().statusCode(400).body("error", containsString("sharegpt"));
        given().get("/export?format=messages").then().statusCode(400).body("error", containsString("stage"));
        given().get("/export?stage=1&format=messages").then().statusCode(404)
                .body("error", containsString("no round has trained stage 1"));
    }

    @Test
    void anExperimentThatCannotRunIsRefusedBeforeAnyPoolIsTaken() {
        given().contentType("application/json").body("{}").post("/experiments").then().statusCode(400)
                .body("error", containsString("recipes are required"));
        given().contentType("application/json").body("{\"recipes\": [\"twt\", \"tinyllama\"]}").post("/experiments")
                .then().statusCode(400).body("error", containsString("tinyllama"));
        given().contentType("application/json").body("{\"recipes\": [\"twt-compressor\"]}").post("/experiments")
                .then().statusCode(400).body("error", containsString("--compressor"));
        given().contentType("application/json").body("{\"recipes\": [\"twt-single-teacher\"]}").post("/experiments")
                .then().statusCode(400).body("error", containsString("--teacher"));
        given().contentType("application/json").body("{\"recipes\": [\"twt\"], \"snapshot\": \"pool-none\"}")
                .post("/experiments").then().statusCode(400).body("error", containsString("no snapshot pool-none"));
        assertTrue(Files.notExists(TempStoreResource.store.resolve("experiments/snapshots")), "no pool was taken");
        given().get("/experiments").then().statusCode(200).body("size()", equalTo(0));
        given().get("/experiments/exp-nope").then().statusCode(404).body("error", containsString("exp-nope"));
    }
}
