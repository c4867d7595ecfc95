package io.twt.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A budget cap hit while queries stream in: the gateway pauses instead of writing FAILED records, says so in
 * health and {@code /teachers/budgets}, and resumes when the cap is raised, through the HTTP API and through
 * the teachers file; every query ends with exactly one OK record per teacher.
 */
@QuarkusTest
@TestProfile(BudgetPauseTest.CappedTeacher.class)
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class BudgetPauseTest {

    static final Path FILE = Path.of("target", "budget-pause-teachers.yaml");
    private static final Duration WAIT = Duration.ofSeconds(60);

    public static class CappedTeacher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            writeTeachers("1.0");
            return Map.of("twt.gateway.teachers-file", FILE.toAbsolutePath().toString(),
                    "twt.gateway.teachers-file-check", "200ms");
        }
    }

    /** About 0.3 USD a call for {@code capped} at these prices, so a 1 USD cap is spent after a few queries. */
    static void writeTeachers(String cap) {
        String url = LabTeachersResource.server().baseUrl();
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, """
                    teachers:
                      - name: pause-capped
                        base-url: %1$s
                        model: lab-terse
                        price-per-1k-prompt: 1.0
                        price-per-1k-completion: 1.0
                        budget-usd: %2$s
                        max-concurrency: 2
                      - name: pause-open
                        base-url: %1$s
                        model: lab-stepwise
                    """.formatted(url, cap));
            // a rewrite within the file system's timestamp granularity must still count as a change
            Files.setLastModifiedTime(FILE, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final GatewayTopics topics = new GatewayTopics(LocalKafkaResource.broker().bootstrapServers());

    @Test
    @Timeout(240)
    void aSpentBudgetPausesTheGatewayWithoutRejectingAQueryAndARaisedCapResumesIt() throws Exception {
        List<Query> first = LabTasks.generate(TaskKind.MATH, Split.EVAL, 12, 7);
        Set<String> firstIds = ids(first);
        topics.push(first);

        awaitPaused(true);
        given().get("/q/health/ready").then().body(containsString("budget of 1.0 USD for teacher pause-capped is spent"));
        Thread.sleep(1000);
        List<TeacherOutput> whilePaused = topics.allOutputs(firstIds);
        long cappedAnswered = whilePaused.stream().filter(o -> o.teacher().equals("pause-capped")).count();
        assertTrue(cappedAnswered < first.size(), "the cap stopped capped mid-stream: " + cappedAnswered + " answered");
        whilePaused.forEach(o -> assertEquals(TeacherStatus.OK, o.status(), o.teacher() + ": " + o.error()));

        given().contentType(ContentType.JSON).body(Map.of("budgetUsd", 1000)).post("/teachers/pause-capped/budget")
                .then().statusCode(200).body("exhausted", equalTo(false));
        awaitPaused(false);
        assertExactlyOneOkPerTeacher(topics.awaitOutputs(firstIds, 2 * first.size(), WAIT), firstIds);

        writeTeachers("0.5");
        awaitPaused(true);
        List<Query> second = LabTasks.generate(TaskKind.MCQ, Split.EVAL, 4, 8);
        topics.push(second);
        writeTeachers("1000");
        awaitPaused(false);
        assertExactlyOneOkPerTeacher(topics.awaitOutputs(ids(second), 2 * second.size(), WAIT), ids(second));
        given().get("/q/metrics").then().body(containsString("twt_gateway_budget_exhausted{teacher=\"pause-capped\"} 0.0"));
    }

    private static void assertExactlyOneOkPerTeacher(List<TeacherOutput> outputs, Set<String> ids) {
        Map<String, List<TeacherOutput>> byQuery = outputs.stream().collect(Collectors.groupingBy(TeacherOutput::queryId));
        assertEquals(ids, byQuery.keySet());
        byQuery.forEach((id, perQuery) -> {
            assertEquals(Set.of("pause-capped", "pause-open"), perQuery.stream().map(TeacherOutput::teacher).collect(Collectors.toSet()), id);
            assertEquals(2, perQuery.size(), id);
        });
        outputs.forEach(o -> assertEquals(TeacherStatus.OK, o.status(), o.teacher() + " on " + o.queryId() + ": " + o.error()));
    }

    private static void awaitPaused(boolean paused) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!given().get("/teachers/budgets").then().extract().path("paused").equals(paused)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gateway paused=" + !paused + " after " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    private static Set<String> ids(List<Query> queries) {
        return queries.stream().map(Query::id).collect(Collectors.toSet());
    }
}
