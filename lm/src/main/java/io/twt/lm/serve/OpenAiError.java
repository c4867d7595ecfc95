package io.twt.lm.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses, answered with OpenAI's error body
 * {@code {"error": {"message", "type", "param", "code"}}} and a 4xx status (5xx only for the server's own faults).
 */
final class OpenAiError extends RuntimeException {

    final int status;
    final String type;
    final String code;
    final String param;

    OpenAiError(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", null, param, message);
    }

    static OpenAiError modelNotFound(String model) {
        return new OpenAiError(404, "invalid_request_error", "model_not_found", "model",
                "The model `" + model + "` does not exist.");
    }

    static OpenAiError internal(String message) {
        return new OpenAiError(500, "server_error", null, null, message);
    }

    ObjectNode body(ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return body;
    }
}
