package io.twt.gateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code response_format} that asks a teacher for the triple: a strict JSON schema (OpenAI, Azure,
 * vLLM, Ollama, Mistral, LiteLLM pass it on), a plain JSON object, or nothing where an endpoint refuses both.
 */
public final class ResponseFormats {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResponseFormats() {
    }

    public static JsonNode forTriple(TeacherSpec.ResponseFormat format, Rubric rubric) {
        return switch (format) {
            case NONE -> null;
            case JSON_OBJECT -> JSON.objectNode().put("type", "json_object");
            case JSON_SCHEMA -> {
                ObjectNode factors = JSON.objectNode().put("type", "object");
                ObjectNode factorProperties = factors.putObject("properties");
                rubric.factorNames().forEach(f -> factorProperties.putObject(f).put("type", "number"));
                rubric.factorNames().forEach(factors.putArray("required")::add);
                factors.put("additionalProperties", false);
                ObjectNode schema = JSON.objectNode().put("type", "object");
                ObjectNode properties = schema.putObject("properties");
                properties.putObject("rationale").put("type", "string");
                properties.putObject("answer").put("type", "string");
                properties.set("factors", factors);
                schema.putArray("required").add("rationale").add("answer").add("factors");
                schema.put("additionalProperties", false);
                ObjectNode request = JSON.objectNode().put("type", "json_schema");
                request.putObject("json_schema").put("name", "teacher_triple").put("strict", true).set("schema", schema);
                yield request;
            }
        };
    }
}
