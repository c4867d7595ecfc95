package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A chat call through teacher-gateway's HTTP API ({@code POST /teachers/{name}/chat}), so other services
 * reach teachers with the gateway's keys, limits, retries, budget and token accounting.
 *
 * @param purpose what the call is for ("compression"), a label on the gateway's metrics
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(List<ChatMessage> messages, Integer maxTokens, Double temperature, String purpose) {
}
