package io.twt.lab.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LabTeacherServerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LabTeacherServer server;

    @BeforeEach
    void start() throws Exception {
        server = LabTeacherServer.start("127.0.0.1", 0, FaultSettings.none());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsTheThreePersonasAsModels() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        List<String> ids = new ArrayList<>();
        MAPPER.readTree(response.body()).path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(Persona.ROSTER.stream().map(Persona::name).toList(), ids);
    }

    @Test
    void answersAChatCompletionWithTheTripleAndTokenUsage() throws Exception {
        Query query = LabTasks.generate(TaskKind.MCQ, Split.EVAL, 1, 4).getFirst();
        HttpResponse<String> response = post(chat("lab-stepwise", StudentPrompt.prompt(query)));
        assertEquals(200, response.statusCode());
        JsonNode body = MAPPER.readTree(response.body());
        String content = body.path("choices").path(0).path("message").path("content").asText();
        JsonNode triple = LabTeacher.triple(content);
        assertTrue(triple.path("answer").asText().matches("[A-E]"), content);
        assertTrue(triple.path("factors").path("correctness").isNumber(), content);
        assertTrue(body.path("usage").path("prompt_tokens").asLong() > 0);
        assertTrue(body.path("usage").path("completion_tokens").asLong() > 0);
    }

    @Test
    void injectedRateLimitsCarryRetryAfterAndUnknownModelsAre404() throws Exception {
        server.faults(new FaultSettings(Duration.ZERO, Duration.ZERO, 1.0, 0, 0, 0, Duration.ofSeconds(1), 3));
        HttpResponse<String> limited = post(chat("lab-terse", "What is 2 + 2?"));
        assertEquals(429, limited.statusCode());
        assertEquals("3", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(404, post(chat("gpt-nothing", "hi")).statusCode());
        assertEquals(1, server.faultsInjected());
    }

    @Test
    void malformedFaultTruncatesTheContentButKeepsTheHttpReplyValid() throws Exception {
        server.faults(new FaultSettings(Duration.ZERO, Duration.ZERO, 0, 0, 0, 1.0, Duration.ofSeconds(1), 1));
        Query query = LabTasks.generate(TaskKind.MATH, Split.EVAL, 1, 4).getFirst();
        HttpResponse<String> response = post(chat("lab-terse", StudentPrompt.prompt(query)));
        assertEquals(200, response.statusCode());
        String content = MAPPER.readTree(response.body()).path("choices").path(0).path("message").path("content").asText();
        assertTrue(content.startsWith("{") && !content.endsWith("}"), content);
    }

    @Test
    void latencyIsApplied() throws Exception {
        server.faults(FaultSettings.none().withLatency(Duration.ofMillis(300), Duration.ZERO));
        long start = System.nanoTime();
        assertEquals(200, post(chat("lab-terse", "hello")).statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 300);
    }

    @Test
    void theBatchApiAnswersEachLineOfAnUploadedFileInItsOutputFileAndUnknownModelsInItsErrorFile() throws Exception {
        ObjectNode good = MAPPER.createObjectNode().put("custom_id", "q1").put("method", "POST").put("url", "/v1/chat/completions");
        good.set("body", chat("lab-terse", "What is 2 + 2?"));
        ObjectNode bad = MAPPER.createObjectNode().put("custom_id", "q2").put("method", "POST").put("url", "/v1/chat/completions");
        bad.set("body", chat("gpt-nothing", "hi"));
        String boundary = "b0undary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n\r\n" + good + "\n" + bad + "\n\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, file.statusCode(), file.body());
        server.holdBatches(true);
        ObjectNode create = MAPPER.createObjectNode().put("input_file_id", MAPPER.readTree(file.body()).get("id").asText())
                .put("endpoint", "/v1/chat/completions").put("completion_window", "24h");
        create.putObject("metadata").put("twt_teacher", "t");
        JsonNode batch = MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/batches"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(create.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("in_progress", batch.get("status").asText());
        assertEquals("t", get("/batches?limit=5").get("data").get(0).get("metadata").get("twt_teacher").asText());

        server.holdBatches(false);
        JsonNode done = get("/batches/" + batch.get("id").asText());
        assertEquals("completed", done.get("status").asText());
        assertEquals(1, done.get("request_counts").get("completed").asInt());
        JsonNode output = MAPPER.readTree(text("/files/" + done.get("output_file_id").asText() + "/content").strip());
        assertEquals("q1", output.get("custom_id").asText());
        assertEquals(200, output.get("response").get("status_code").asInt());
        assertTrue(output.get("response").get("body").get("usage").get("completion_tokens").asInt() > 0);
        JsonNode error = MAPPER.readTree(text("/files/" + done.get("error_file_id").asText() + "/content").strip());
        assertEquals("q2", error.get("custom_id").asText());
        assertEquals("model_not_found", error.get("error").get("code").asText());
    }

    private JsonNode get(String path) throws Exception {
        return MAPPER.readTree(text(path));
    }

    private String text(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void tokenLogprobsComeOnlyWhenAskedForAndRightRepliesAreLikelierOnAverage() throws Exception {
        Query once = LabTasks.generate(TaskKind.MATH, Split.EVAL, 1, 4).getFirst();
        assertTrue(MAPPER.readTree(post(chat("lab-narrative", StudentPrompt.prompt(once))).body()).path("choices").path(0)
                .path("logprobs").isMissingNode(), "not asked, not sent");

        double right = 0;
        double wrong = 0;
        int rightCount = 0;
        int wrongCount = 0;
        for (Query query : LabTasks.generate(TaskKind.MATH, Split.EVAL, 60, 4)) {
            ObjectNode request = chat("lab-narrative", StudentPrompt.prompt(query)).put("logprobs", true);
            JsonNode choice = MAPPER.readTree(post(request).body()).path("choices").path(0);
            JsonNode tokens = choice.path("logprobs").path("content");
            String content = choice.path("message").path("content").asText();
            assertEquals((content.length() + 3) / 4, tokens.size(), "one entry per four-character token");
            double logprob = tokens.path(0).path("logprob").asDouble();
            assertTrue(logprob < 0, "a log-probability: " + logprob);
            if (io.twt.common.answer.Answers.matchesGold(query, LabTeacher.triple(content).path("answer").asText())) {
                right += logprob;
                rightCount++;
            } else {
                wrong += logprob;
                wrongCount++;
            }
        }
        assertTrue(rightCount > 0 && wrongCount > 0, rightCount + " right, " + wrongCount + " wrong");
        assertTrue(right / rightCount > wrong / wrongCount, "right " + right / rightCount + ", wrong " + wrong / wrongCount);
    }

    private HttpResponse<String> post(ObjectNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode chat(String model, String user) {
        ObjectNode body = MAPPER.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", user);
        body.putObject("response_format").put("type", "json_object");
        return body;
    }
}
