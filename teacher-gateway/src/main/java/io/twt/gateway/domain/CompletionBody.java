package io.twt.gateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.ChatMessage;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of one {@code POST /chat/completions} to one teacher: the model, the messages, the token limit
 * under the field its family takes, the sampling settings its family accepts, the response format, and last
 * the teacher's {@code extra-body}, which may add or override anything (LiteLLM and vLLM take provider options
 * there, e.g. {@code chat_template_kwargs}).
 */
public final class CompletionBody {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CompletionBody() {
    }

    /**
     * @param maxTokens   the limit for this call (a chat request's own, else the teacher's, else the gateway's)
     * @param temperature this call's temperature; null: the teacher's, else the gateway's for ordinary models
     *                    and none for reasoning models
     */
    public static ObjectNode of(String model, RequestSettings settings, List<ChatMessage> messages, JsonNode responseFormat,
                                int maxTokens, Double temperature, double defaultTemperature) {
        ObjectNode body = MAPPER.createObjectNode().put("model", model);
        body.set("messages", MAPPER.valueToTree(messages));
        body.put(settings.tokenLimitField().json(), maxTokens);
        Double chosen = temperature != null ? Double.valueOf(temperature)
                : settings.temperature().isPresent() ? Double.valueOf(settings.temperature().getAsDouble())
                : RequestSettings.reasoningModel(model) ? null : Double.valueOf(defaultTemperature);
        if (chosen != null) {
            body.put("temperature", chosen);
        }
        settings.topP().ifPresent(p -> body.put("top_p", p));
        if (settings.reasoningEffort() != null) {
            body.put("reasoning_effort", settings.reasoningEffort());
        }
        if (responseFormat != null) {
            body.set("response_format", responseFormat);
        }
        for (Map.Entry<String, Object> extra : settings.extraBody().entrySet()) {
            if (extra.getValue() == null) {
                body.remove(extra.getKey());
            } else {
                body.set(extra.getKey(), MAPPER.valueToTree(extra.getValue()));
            }
        }
        return body;
    }

    /** The token limit this body carries, whichever field holds it (for the tokens-per-minute estimate). */
    public static int maxTokens(ObjectNode body) {
        JsonNode limit = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        return limit == null ? 0 : limit.asInt();
    }
}
