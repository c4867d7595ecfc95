package io.twt.eval;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.twt.common.TaskKind;
import io.twt.eval.domain.model.VersionEvaluator;
import io.twt.testsupport.LocalKafkaResource;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * eval-service on a machine where neither bubblewrap nor unshare works (both stand-ins exit 1): it starts, scores
 * mcq and math, and refuses code tasks at start-up, saying so in health, metrics and the dashboard.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@TestProfile(SandboxRefusedBootTest.NoNamespaces.class)
class SandboxRefusedBootTest {

    public static class NoNamespaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("twt.eval.sandbox.bwrap", "/bin/false", "twt.eval.sandbox.unshare", "/bin/false");
        }
    }

    @Inject
    VersionEvaluator evaluator;

    @Test
    void codeTasksAreRefusedAtStartUpAndTheLevelIsReported() {
        assertEquals(Set.of(TaskKind.MCQ, TaskKind.MATH), evaluator.evalSets().keySet(), "no code eval set");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'code-sandbox' }.data.isolation", equalTo("NONE"))
                .body("checks.find { it.name == 'code-sandbox' }.data.codeTasks", equalTo("refused"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("twt_eval_sandbox_isolation{level=\"NONE\"} 1.0"));
        given().get("/report.json").then().statusCode(200).body("sandboxIsolation", equalTo("NONE"))
                .body("sandboxSummary", containsString("bubblewrap cannot create namespaces"));
    }
}
