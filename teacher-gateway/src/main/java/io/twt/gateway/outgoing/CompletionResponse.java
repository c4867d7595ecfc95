package io.twt.gateway.outgoing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The parts of an OpenAI-compatible chat completion the gateway reads: the first choice's text and the usage. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompletionResponse(List<Choice> choices, TokenUsage usage) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(Message message, @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, String content) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenUsage(@JsonProperty("prompt_tokens") long promptTokens,
                             @JsonProperty("completion_tokens") long completionTokens) {
    }

    public String firstContent() {
        if (choices == null || choices.isEmpty() || choices.getFirst().message() == null) {
            return "";
        }
        String content = choices.getFirst().message().content();
        return content == null ? "" : content;
    }
}
