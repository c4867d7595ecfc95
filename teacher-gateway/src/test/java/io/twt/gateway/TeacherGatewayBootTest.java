package io.twt.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.Topic;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class TeacherGatewayBootTest {

    @Test
    void healthIsUpAndMetricsAreServed() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"))
                .body(containsString("twt_gateway_budget_spent_usd{teacher=\"lab-terse\"}"));
    }

    @Test
    @Timeout(60)
    void malformedQueryGoesToTheDeadLetterTopicWithItsReason() {
        TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());
        topics.send(Topic.QUERIES.topicName(), "bad-1", "{not json".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topic.QUERIES.dlq(), "bad-1");
        assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        String reason = topics.header(dead, DeadLetterHeaders.REASON);
        assertTrue(reason.contains("invalid JSON"), reason);
    }
}
