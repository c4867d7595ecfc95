package io.twt.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.twt.common.ChatReply;
import io.twt.common.ChatRequest;
import io.twt.common.CompressionPrompt;
import io.twt.common.Query;
import io.twt.common.Redrive;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Queries on the real broker, lab teachers over real HTTP, records on twt.teacher-outputs. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class GatewayIntegrationTest {

    private static final Set<String> TEACHERS = Set.of("lab-terse", "lab-stepwise", "lab-narrative");

    private final GatewayTopics topics = new GatewayTopics(LocalKafkaResource.broker().bootstrapServers());

    @Test
    @Timeout(180)
    void everyQueryComesOutAsOneRecordPerTeacherWithConfidences() {
        List<Query> queries = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            queries.addAll(LabTasks.generate(kind, Split.EVAL, 10, 101));
        }
        Set<String> ids = queries.stream().map(Query::id).collect(Collectors.toSet());
        long requestsBefore = LabTeachersResource.server().requests();
        topics.push(queries);

        List<TeacherOutput> outputs = topics.awaitOutputs(ids, 3 * queries.size(), Duration.ofSeconds(120));

        Map<String, List<TeacherOutput>> byQuery = outputs.stream().collect(Collectors.groupingBy(TeacherOutput::queryId));
        assertEquals(ids, byQuery.keySet());
        for (List<TeacherOutput> perQuery : byQuery.values()) {
            assertEquals(TEACHERS, perQuery.stream().map(TeacherOutput::teacher).collect(Collectors.toSet()));
            assertEquals(3, perQuery.size());
        }
        long right = 0;
        for (TeacherOutput out : outputs) {
            assertEquals(TeacherStatus.OK, out.status(), () -> out.teacher() + " on " + out.queryId() + ": " + out.error());
            assertEquals(3, out.teacherCount());
            assertTrue(out.confidence() > 0.5 && out.confidence() <= 1.0, "confidence " + out.confidence());
            assertTrue(out.usage().promptTokens() > 0 && out.usage().completionTokens() > 0);
            assertTrue(out.factors().containsKey("correctness"), out.factors().toString());
            // the lab teachers are asked for logprobs; the record keeps the mean of the reply's tokens
            assertTrue(out.meanLogprob() != null && out.meanLogprob() < 0, "mean logprob " + out.meanLogprob());
            right += out.answer().equals(out.query().gold()) ? 1 : 0;
        }
        assertTrue(right > outputs.size() / 2, "the lab teachers are mostly right: " + right + " of " + outputs.size());
        assertTrue(outputs.stream().anyMatch(o -> o.confidence() >= 0.95), "some outputs pass the 0.95 threshold");
        assertTrue(LabTeachersResource.server().requests() - requestsBefore >= outputs.size(), "every record came over HTTP");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("twt_gateway_tokens_total{purpose=\"generation\",teacher=\"lab-terse\",type=\"completion\"}"))
                .body(containsString("twt_gateway_outputs_total{status=\"OK\",teacher=\"lab-narrative\"}"));
    }

    @Test
    @Timeout(120)
    void aRepeatedQueryGetsNoSecondRecordPerTeacher() throws Exception {
        Query query = LabTasks.generate(TaskKind.MATH, Split.EVAL, 1, 202).getFirst();
        topics.push(List.of(query));
        topics.awaitOutputs(Set.of(query.id()), 3, Duration.ofSeconds(60));

        topics.awaitCommittedPast(topics.push(List.of(query)), Duration.ofSeconds(60));

        assertEquals(3, topics.allOutputs(Set.of(query.id())).size());
    }

    @Test
    @Timeout(120)
    void aRedriveAsksOnlyTheNamedTeachersAgainOnceWithItsNumber() throws Exception {
        Query query = LabTasks.generate(TaskKind.MCQ, Split.EVAL, 1, 404).getFirst();
        topics.push(List.of(query));
        topics.awaitOutputs(Set.of(query.id()), 3, Duration.ofSeconds(60));

        Query redrive = query.withRedrive(new Redrive(1, List.of("lab-terse", "not-configured")));
        topics.push(List.of(redrive));
        List<TeacherOutput> outputs = topics.awaitOutputs(Set.of(query.id()), 4, Duration.ofSeconds(60));
        topics.awaitCommittedPast(topics.push(List.of(redrive)), Duration.ofSeconds(60));

        List<TeacherOutput> all = topics.allOutputs(Set.of(query.id()));
        assertEquals(4, all.size(), "3 first answers and 1 re-driven, the repeated re-drive skipped: " + all);
        TeacherOutput again = all.stream().filter(o -> o.redrive() == 1).findFirst().orElseThrow();
        assertEquals("lab-terse", again.teacher());
        assertEquals(3, again.teacherCount(), "the complete set is still every teacher");
        assertEquals(1, again.query().redrive().number());
        assertEquals(3, outputs.stream().filter(o -> o.redrive() == 0).count());
    }

    @Test
    @Timeout(60)
    void chatApiReachesATeacherWithTheSameAccounting() {
        given().get("/teachers").then().statusCode(200).body("size()", equalTo(3)).body("[0]", equalTo("lab-terse"));
        Query query = LabTasks.generate(TaskKind.MATH, Split.EVAL, 1, 303).getFirst();
        String original = "Let me think it through. First, we read the problem. Then, 6 boxes of 4 pens make 6 x 4 = 24 pens. "
                + "Finally, giving away 5 leaves 24 - 5 = 19.";
        ChatRequest request = new ChatRequest(CompressionPrompt.messages(query, original, "24 - 5 = 19\n#### 19", "19"),
                256, null, "compression");

        ChatReply reply = given().contentType(ContentType.JSON).body(request)
                .post("/teachers/lab-narrative/chat").then().statusCode(200).extract().as(ChatReply.class);

        assertEquals("lab-narrative", reply.teacher());
        assertTrue(!reply.content().isBlank() && reply.content().length() < original.length(), reply.content());
        assertTrue(reply.usage().promptTokens() > 0 && reply.attempts() >= 1);
        given().get("/q/metrics").then()
                .body(containsString("twt_gateway_tokens_total{purpose=\"compression\",teacher=\"lab-narrative\",type=\"prompt\"}"));
        given().contentType(ContentType.JSON).body(request).post("/teachers/nobody/chat").then().statusCode(404)
                .body("error", containsString("lab-terse"));
        given().contentType(ContentType.JSON).body(new ChatRequest(List.of(), null, null, null))
                .post("/teachers/lab-terse/chat").then().statusCode(400);
    }
}
