package io.twt.gateway.outgoing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.ChatMessage;
import java.util.List;

/** The body of an OpenAI-compatible {@code POST /chat/completions}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionRequest(String model, List<ChatMessage> messages,
                                @JsonProperty("max_tokens") Integer maxTokens, Double temperature,
                                @JsonProperty("response_format") JsonNode responseFormat) {
}
