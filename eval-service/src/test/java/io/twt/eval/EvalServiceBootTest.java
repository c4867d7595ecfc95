package io.twt.eval;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.Topic;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class EvalServiceBootTest {

    @Test
    void healthIsUpAndMetricsAreServed() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'code-sandbox' }.data.isolation", equalTo("BUBBLEWRAP"))
                .body("checks.find { it.name == 'student-kernels' }.data.kernels", oneOf("mkl-intel-path", "mkl-default"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"),
                containsString("twt_eval_sandbox_isolation{level=\"BUBBLEWRAP\"} 1.0"),
                containsString("twt_eval_sandbox_samples_total"));
    }

    @Test
    void dashboardAndReportJsonAreServed() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("TwT evaluation"), containsString("id=\"results\""));
        given().get("/report.json").then().statusCode(200).body("sandboxIsolation", equalTo("BUBBLEWRAP"))
                .body("qualityThreshold", equalTo(0.95f));
    }

    @Test
    void evalQueriesAreServedForTheTeachersWithPurposeEval() {
        String lines = given().get("/eval-queries").then().statusCode(200).extract().asString();
        // the test profile: 3 per task kind
        assertEquals(9, lines.lines().count(), lines);
        assertTrue(lines.lines().allMatch(line -> line.contains("\"purpose\":\"eval\"")), lines);
    }

    @Test
    @Timeout(60)
    void malformedModelVersionGoesToTheDeadLetterTopicWithItsReason() {
        TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());
        topics.send(Topic.MODEL_VERSIONS.topicName(), "bad-1", "{\"schemaVersion\": 1, \"round\": 1}");
        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topic.MODEL_VERSIONS.dlq(), "bad-1");
        String reason = topics.header(dead, DeadLetterHeaders.REASON);
        assertTrue(reason.contains("missing field 'stage'"), reason);
    }
}
