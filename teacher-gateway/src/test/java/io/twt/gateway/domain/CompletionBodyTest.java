package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.ChatMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CompletionBodyTest {

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("hello"));

    @Test
    void reasoningModelsAreRecognisedWithOrWithoutARoutersPrefix() {
        for (String model : List.of("o1", "o1-mini", "o3-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini", "openai/o3", "azure/gpt-5.1")) {
            assertTrue(RequestSettings.reasoningModel(model), model);
        }
        for (String model : List.of("gpt-4o", "gpt-4o-mini", "omni-moderation", "llama3.1:8b", "mistral-large-latest", "deepseek-r1")) {
            assertFalse(RequestSettings.reasoningModel(model), model);
        }
    }

    @Test
    void aReasoningModelGetsMaxCompletionTokensAndNoTemperature() {
        ObjectNode body = CompletionBody.of("o3-mini", RequestSettings.defaults("o3-mini"), HELLO, null, 512, null, 0.0);
        assertEquals(512, body.get("max_completion_tokens").asInt());
        assertFalse(body.has("max_tokens") || body.has("temperature") || body.has("top_p"), body.toString());
        assertEquals(512, CompletionBody.maxTokens(body));
    }

    @Test
    void anOrdinaryModelGetsMaxTokensAndTheDefaultTemperature() {
        ObjectNode body = CompletionBody.of("gpt-4o", RequestSettings.defaults("gpt-4o"), HELLO, null, 512, null, 0.0);
        assertEquals(512, body.get("max_tokens").asInt());
        assertEquals(0.0, body.get("temperature").asDouble());
        assertEquals("hello", body.get("messages").get(0).get("content").asText());
    }

    @Test
    void aCallsOwnTemperatureWinsOverTheTeachersWhichWinsOverTheDefault() {
        RequestSettings warm = new RequestSettings(OptionalDouble.of(0.7), OptionalDouble.empty(), OptionalInt.empty(),
                RequestSettings.TokenLimitField.MAX_TOKENS, null, Map.of(), Map.of());
        assertEquals(0.7, CompletionBody.of("m", warm, HELLO, null, 10, null, 0.0).get("temperature").asDouble());
        assertEquals(0.2, CompletionBody.of("m", warm, HELLO, null, 10, 0.2, 0.0).get("temperature").asDouble());
    }

    @Test
    void extraBodyIsMergedLastAndANullRemovesAField() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("chat_template_kwargs", Map.of("enable_thinking", false));
        extra.put("max_tokens", 99);
        extra.put("temperature", null);
        RequestSettings settings = new RequestSettings(OptionalDouble.empty(), OptionalDouble.of(0.9), OptionalInt.empty(),
                RequestSettings.TokenLimitField.MAX_TOKENS, "medium", extra, Map.of());
        ObjectNode body = CompletionBody.of("qwen3", settings, HELLO, null, 512, null, 0.0);
        assertFalse(body.get("chat_template_kwargs").get("enable_thinking").asBoolean());
        assertEquals(99, body.get("max_tokens").asInt(), "extra-body overrides");
        assertFalse(body.has("temperature"));
        assertEquals(0.9, body.get("top_p").asDouble());
        assertEquals("medium", body.get("reasoning_effort").asText());
    }
}
