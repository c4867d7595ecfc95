package io.twt.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.twt.common.ChatMessage;
import io.twt.common.ChatRequest;
import io.twt.testsupport.LocalKafkaResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A teachers file with a tiny budget: once spent, calls to that teacher stop, visibly; the other teacher goes on. */
@QuarkusTest
@TestProfile(BudgetCapTest.TeachersFileWithBudget.class)
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class BudgetCapTest {

    public static class TeachersFileWithBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = LabTeachersResource.server().baseUrl();
            try {
                Path file = Files.createTempFile("teachers-", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, """
                        teachers:
                          - name: capped
                            base-url: %s
                            model: lab-terse
                            price-per-1k-prompt: 1.0
                            price-per-1k-completion: 1.0
                            budget-usd: 0.001
                          - name: uncapped
                            base-url: %s
                            model: lab-stepwise
                            price-per-1k-prompt: 1.0
                            price-per-1k-completion: 1.0
                        """.formatted(url, url));
                return Map.of("twt.gateway.teachers-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void whenTheBudgetIsSpentTheTeacherIsNoLongerCalledAndTheMetricsSaySo() {
        ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Which expression equals 12?\nA. 5 + 7\nB. 3 x 5")), null, null, "test");
        given().get("/teachers").then().statusCode(200).body("size()", equalTo(2));
        given().contentType(ContentType.JSON).body(request).post("/teachers/capped/chat").then().statusCode(200);
        long requests = LabTeachersResource.server().requests();

        given().contentType(ContentType.JSON).body(request).post("/teachers/capped/chat").then().statusCode(402)
                .body("error", containsString("budget of 0.001 USD for teacher capped is spent"));

        assertEquals(requests, LabTeachersResource.server().requests(), "no call went out");
        given().contentType(ContentType.JSON).body(request).post("/teachers/uncapped/chat").then().statusCode(200);
        given().get("/q/metrics").then()
                .body(containsString("twt_gateway_budget_exhausted{teacher=\"capped\"} 1.0"))
                .body(containsString("twt_gateway_budget_exhausted{teacher=\"uncapped\"} 0.0"))
                .body(containsString("twt_gateway_calls_total{outcome=\"budget_exhausted\",purpose=\"test\",teacher=\"capped\"} 1.0"));
    }
}
