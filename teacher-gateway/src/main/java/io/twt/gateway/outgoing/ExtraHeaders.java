package io.twt.gateway.outgoing;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Map;

/** Adds a teacher's {@code extra-headers} to every request its REST client sends (LiteLLM tags, OpenAI-Organization). */
final class ExtraHeaders implements ClientRequestFilter {

    private final Map<String, String> headers;

    ExtraHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    @Override
    public void filter(ClientRequestContext request) {
        headers.forEach((name, value) -> request.getHeaders().putSingle(name, value));
    }
}
