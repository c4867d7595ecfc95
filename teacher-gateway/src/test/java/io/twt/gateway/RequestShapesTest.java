package io.twt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.testsupport.LocalKafkaResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One teacher per provider kind, each a real HTTP endpoint that records what it is sent and answers as that
 * provider would: the request shapes that reach it and the records that come out on the real broker.
 */
@QuarkusTest
@TestProfile(RequestShapesTest.OneTeacherPerProvider.class)
@QuarkusTestResource(LocalKafkaResource.class)
class RequestShapesTest {

    static final RecordingTeacher PROVIDER = RecordingTeacher.start();

    public static class OneTeacherPerProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String url = PROVIDER.baseUrl();
            try {
                Path file = Files.createTempFile("teachers-", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, """
                        teachers:
                          - name: openai-o3
                            base-url: %1$s
                            model: o3-mini
                            reasoning-effort: low
                          - name: azure-gpt5
                            base-url: %1$s
                            model: gpt-5-mini
                            kind: azure
                            api-version: 2025-04-01-preview
                            max-tokens: 4000
                          - name: vllm-r1
                            base-url: %1$s
                            model: deepseek-r1
                            temperature: 0.6
                            top-p: 0.95
                            extra-body:
                              chat_template_kwargs:
                                enable_thinking: true
                          - name: vllm-thinking
                            base-url: %1$s
                            model: qwen3-thinking
                            response-format: json-object
                          - name: litellm-claude
                            base-url: %1$s
                            model: anthropic/claude-sonnet
                            extra-body:
                              metadata:
                                tags: [twt]
                              temperature: null
                            extra-headers:
                              x-litellm-tags: twt,teachers
                        """.formatted(url));
                return Map.of("twt.gateway.teachers-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    @Timeout(120)
    void eachProviderGetsTheRequestItAcceptsAndReasoningIsKeptApart() {
        Query query = Query.of("shape-1", TaskKind.MATH, "What is 2+3?", null, null, "test", "5");
        new GatewayTopics(LocalKafkaResource.broker().bootstrapServers()).push(List.of(query));

        Map<String, TeacherOutput> outputs = new GatewayTopics(LocalKafkaResource.broker().bootstrapServers())
                .awaitOutputs(Set.of(query.id()), 5, Duration.ofSeconds(90)).stream()
                .collect(Collectors.toMap(TeacherOutput::teacher, Function.identity()));
        outputs.values().forEach(o -> assertEquals(TeacherStatus.OK, o.status(), o.teacher() + ": " + o.error()));

        var o3 = PROVIDER.requestsFor("o3-mini").getFirst().body();
        assertEquals(1024, o3.path("max_completion_tokens").asInt(), "reasoning models take max_completion_tokens");
        assertFalse(o3.has("max_tokens"));
        assertFalse(o3.has("temperature"), "reasoning models get no temperature");
        assertEquals("low", o3.path("reasoning_effort").asText());
        assertEquals("json_schema", o3.path("response_format").path("type").asText());

        var azure = PROVIDER.requestsFor("gpt-5-mini").getFirst();
        assertEquals(4000, azure.body().path("max_completion_tokens").asInt());
        assertFalse(azure.body().has("temperature"));
        assertTrue(azure.path().contains("api-version=2025-04-01-preview"), azure.path());

        var r1 = PROVIDER.requestsFor("deepseek-r1").getFirst().body();
        assertEquals(1024, r1.path("max_tokens").asInt(), "other models keep max_tokens");
        assertEquals(0.6, r1.path("temperature").asDouble());
        assertEquals(0.95, r1.path("top_p").asDouble());
        assertTrue(r1.path("chat_template_kwargs").path("enable_thinking").asBoolean(), "extra body arrives: " + r1);
        assertEquals("The user asks for 2+3. Adding gives 5.", outputs.get("vllm-r1").reasoning());
        assertEquals("2+3=5", outputs.get("vllm-r1").rationale(), "the rationale stays the teacher's own");

        var thinking = PROVIDER.requestsFor("qwen3-thinking").getFirst().body();
        assertEquals(0.0, thinking.path("temperature").asDouble(), "the gateway's default temperature");
        assertEquals("json_object", thinking.path("response_format").path("type").asText());
        assertEquals("Two plus three is five.", outputs.get("vllm-thinking").reasoning());

        var litellm = PROVIDER.requestsFor("anthropic/claude-sonnet").getFirst();
        assertEquals("twt,teachers", litellm.header("x-litellm-tags"), "extra headers arrive");
        assertEquals("twt", litellm.body().path("metadata").path("tags").path(0).asText());
        assertFalse(litellm.body().has("temperature"), "a null in extra-body removes the field");
        assertNull(outputs.get("litellm-claude").reasoning());
        assertNull(outputs.get("openai-o3").reasoning());
    }
}
