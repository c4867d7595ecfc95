package io.twt.lm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.lm.config.GenerationConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of {@code POST /v1/completions} and {@code /v1/chat/completions} that the student serves, checked as
 * OpenAI checks them. A chat is rendered as its messages' contents in order, with nothing between them: the student
 * trains on raw {@code prompt -> completion} pairs, so one user message holding the student prompt gives exactly
 * what the completions endpoint gives for that prompt.
 *
 * @param maxTokens null: up to the end of the context (vLLM's default)
 * @param seed      null: a seed of the server's choosing
 */
record CompletionRequest(String model, String prompt, Integer maxTokens, double temperature, double topP,
                         List<String> stop, Long seed, boolean stream, boolean includeUsage) {

    static CompletionRequest parse(JsonNode body, boolean chat) {
        if (body == null || !body.isObject()) {
            throw OpenAiError.invalid(null, "the request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual()) {
            throw OpenAiError.invalid("model", "'model' is required and must be a string");
        }
        String prompt = chat ? renderChat(body.get("messages")) : prompt(body.get("prompt"));
        JsonNode maxNode = chat && body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        Integer maxTokens = null;
        if (maxNode != null && !maxNode.isNull()) {
            if (!maxNode.canConvertToInt() || !maxNode.isIntegralNumber() || maxNode.asInt() < 1) {
                throw OpenAiError.invalid("max_tokens", "max_tokens must be an integer of at least 1, got " + maxNode);
            }
            maxTokens = maxNode.asInt();
        }
        double temperature = number(body, "temperature", 1.0);
        if (temperature < 0 || temperature > 2) {
            throw OpenAiError.invalid("temperature", "temperature must be in [0, 2], got " + temperature);
        }
        double topP = number(body, "top_p", 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw OpenAiError.invalid("top_p", "top_p must be in (0, 1], got " + topP);
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && n.asInt(-1) != 1) {
            throw OpenAiError.invalid("n", "only n=1 is supported, got " + n);
        }
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) {
            throw OpenAiError.invalid("seed", "seed must be an integer, got " + seed);
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw OpenAiError.invalid("stream", "stream must be a boolean, got " + stream);
        }
        return new CompletionRequest(model.asText(), prompt, maxTokens, temperature, topP, stops(body.get("stop")),
                seed == null || seed.isNull() ? null : seed.asLong(), stream != null && stream.asBoolean(),
                body.path("stream_options").path("include_usage").asBoolean(false));
    }

    /** The decoding settings for a prompt of promptTokens tokens in a context of contextTokens. */
    GenerationConfig generationConfig(int promptTokens, int contextTokens, long defaultSeed) {
        int room = contextTokens - promptTokens;
        int max = maxTokens == null ? room : Math.min(maxTokens, room); // lm generate also stops where the context ends
        return new GenerationConfig(max, temperature, topP, stop, seed == null ? defaultSeed : seed, true);
    }

    private static String prompt(JsonNode prompt) {
        if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            return prompt.get(0).asText();
        }
        if (prompt == null || !prompt.isTextual()) {
            throw OpenAiError.invalid("prompt", "'prompt' is required and must be a string (or a list of one string)");
        }
        return prompt.asText();
    }

    private static String renderChat(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "'messages' is required and must be a non-empty list");
        }
        StringBuilder prompt = new StringBuilder();
        for (JsonNode message : messages) {
            if (!message.path("role").isTextual()) {
                throw OpenAiError.invalid("messages", "every message needs a 'role'");
            }
            JsonNode content = message.get("content");
            if (content != null && content.isTextual()) {
                prompt.append(content.asText());
            } else if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    if (!part.path("type").asText().equals("text")) {
                        throw OpenAiError.invalid("messages", "only text content parts are supported, got " + part.path("type"));
                    }
                    prompt.append(part.path("text").asText());
                }
            } else {
                throw OpenAiError.invalid("messages", "every message needs a string 'content'");
            }
        }
        return prompt.toString();
    }

    private static double number(JsonNode body, String field, double fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw OpenAiError.invalid(field, field + " must be a number, got " + node);
        }
        return node.asDouble();
    }

    private static List<String> stops(JsonNode stop) {
        List<String> stops = new ArrayList<>();
        if (stop == null || stop.isNull()) {
            return stops;
        }
        if (stop.isTextual()) {
            stops.add(stop.asText());
            return stops;
        }
        if (stop.isArray() && stop.size() <= 4) {
            for (JsonNode s : stop) {
                if (!s.isTextual() || s.asText().isEmpty()) {
                    throw OpenAiError.invalid("stop", "stop must hold non-empty strings, got " + s);
                }
                stops.add(s.asText());
            }
            return stops;
        }
        throw OpenAiError.invalid("stop", "stop must be a string or a list of at most 4 strings");
    }
}
