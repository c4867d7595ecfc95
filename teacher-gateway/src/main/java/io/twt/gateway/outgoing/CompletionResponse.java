package io.twt.gateway.outgoing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The parts of an OpenAI-compatible chat completion the gateway reads: the first choice's text, the reasoning
 * text some providers return beside it, the token log-probabilities where they were asked for, and the usage.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompletionResponse(List<Choice> choices, TokenUsage usage) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(Message message, @JsonProperty("finish_reason") String finishReason, Logprobs logprobs) {
    }

    /** {@code choices[].logprobs} as OpenAI returns it for {@code "logprobs": true}: one entry per content token. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Logprobs(List<TokenLogprob> content) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenLogprob(String token, double logprob) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, String content, @JsonProperty("reasoning_content") String reasoningContent,
                          String reasoning) {
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

    /** The mean log-probability of the first choice's content tokens; null when the provider returned none. */
    public Double firstMeanLogprob() {
        if (choices == null || choices.isEmpty() || choices.getFirst().logprobs() == null
                || choices.getFirst().logprobs().content() == null || choices.getFirst().logprobs().content().isEmpty()) {
            return null;
        }
        return choices.getFirst().logprobs().content().stream().mapToDouble(TokenLogprob::logprob).average().orElseThrow();
    }

    /** vLLM before 0.10 and DeepSeek name it {@code reasoning_content}, newer vLLM and OpenRouter {@code reasoning}. */
    public String firstReasoning() {
        if (choices == null || choices.isEmpty() || choices.getFirst().message() == null) {
            return null;
        }
        Message message = choices.getFirst().message();
        String text = message.reasoningContent() != null && !message.reasoningContent().isBlank()
                ? message.reasoningContent() : message.reasoning();
        return text == null || text.isBlank() ? null : text;
    }
}
