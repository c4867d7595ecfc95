package io.twt.gateway.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How one teacher wants its chat requests shaped (the teachers file's generation keys). Reasoning models
 * (OpenAI o-series and gpt-5, also behind LiteLLM or Azure) answer 400 to {@code max_tokens} and to any
 * temperature but their default, so for them the token limit goes in {@code max_completion_tokens} and no
 * temperature or top-p is sent unless the file sets one.
 *
 * @param temperature     empty: the gateway's default for ordinary models, none for reasoning models
 * @param maxTokens       empty: the gateway's default ({@code twt.gateway.max-tokens})
 * @param tokenLimitField where the token limit goes; by default chosen from the model's family
 * @param reasoningEffort sent as {@code reasoning_effort} (low, medium, high, ...); null: not sent
 * @param extraBody       merged into the request body last, so it may override any field; a null value removes one
 * @param extraHeaders    sent with every request to this teacher
 */
public record RequestSettings(OptionalDouble temperature, OptionalDouble topP, OptionalInt maxTokens,
                              TokenLimitField tokenLimitField, String reasoningEffort, Map<String, Object> extraBody,
                              Map<String, String> extraHeaders) {

    // o1, o3-mini, o4-mini, gpt-5, gpt-5-mini, also with a router's prefix: openai/o3, azure/gpt-5
    private static final Pattern REASONING_MODEL = Pattern.compile("(?:.*/)?(?:o\\d+|gpt-5)(?:[-.:].*)?");

    public enum TokenLimitField {
        MAX_TOKENS("max_tokens"), MAX_COMPLETION_TOKENS("max_completion_tokens");

        private final String json;

        TokenLimitField(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /** The gateway's own defaults ({@code twt.gateway.max-tokens}, {@code twt.gateway.temperature}). */
    public record Defaults(int maxTokens, double temperature) {
    }

    public RequestSettings {
        extraBody = extraBody == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraBody));
        extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    }

    /** Nothing set: every field from the model's family and the gateway's defaults. */
    public static RequestSettings defaults(String model) {
        return new RequestSettings(OptionalDouble.empty(), OptionalDouble.empty(), OptionalInt.empty(),
                defaultTokenLimitField(model), null, Map.of(), Map.of());
    }

    public static boolean reasoningModel(String model) {
        return REASONING_MODEL.matcher(model.toLowerCase(Locale.ROOT)).matches();
    }

    public static TokenLimitField defaultTokenLimitField(String model) {
        return reasoningModel(model) ? TokenLimitField.MAX_COMPLETION_TOKENS : TokenLimitField.MAX_TOKENS;
    }
}
