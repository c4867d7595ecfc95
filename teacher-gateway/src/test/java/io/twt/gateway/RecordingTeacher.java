package io.twt.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A real HTTP teacher that records every request's headers and body, and answers as the provider of that model
 * would: reasoning models (o-series, gpt-5) refuse {@code max_tokens} and a temperature with 400 as OpenAI does;
 * a model named {@code *-r1} returns {@code reasoning_content} beside the reply (vLLM before 0.10), one named
 * {@code *-thinking} returns {@code reasoning} (newer vLLM). The reply is always a well-formed math triple.
 */
final class RecordingTeacher implements AutoCloseable {

    record Recorded(String path, Map<String, List<String>> headers, JsonNode body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern REASONING_MODEL = Pattern.compile("(?:.*/)?(?:o\\d+|gpt-5).*");
    static final String REPLY = "{\"rationale\": \"2+3=5\", \"answer\": \"5\", "
            + "\"factors\": {\"correctness\": 0.97, \"reasoning\": 0.96, \"arithmetic\": 0.98}}";

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private RecordingTeacher(HttpServer server) {
        this.server = server;
    }

    static RecordingTeacher start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            RecordingTeacher teacher = new RecordingTeacher(http);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/", teacher::handle);
            http.start();
            return teacher;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Recorded> requestsFor(String model) {
        return requests.stream().filter(r -> model.equals(r.body().path("model").asText())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            JsonNode body = MAPPER.readTree(in);
            requests.add(new Recorded(exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), body));
            String model = body.path("model").asText();
            if (REASONING_MODEL.matcher(model.toLowerCase(Locale.ROOT)).matches()) {
                if (body.has("max_tokens")) {
                    send(exchange, 400, error("Unsupported parameter: 'max_tokens' is not supported with this model. "
                            + "Use 'max_completion_tokens' instead."));
                    return;
                }
                if (body.has("temperature") && body.get("temperature").asDouble() != 1.0) {
                    send(exchange, 400, error("Unsupported value: 'temperature' does not support "
                            + body.get("temperature") + " with this model. Only the default (1) value is supported."));
                    return;
                }
            }
            ObjectNode reply = MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", model);
            ObjectNode message = reply.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                    .putObject("message").put("role", "assistant").put("content", REPLY);
            if (model.endsWith("-r1")) {
                message.put("reasoning_content", "The user asks for 2+3. Adding gives 5.");
            } else if (model.endsWith("-thinking")) {
                message.put("reasoning", "Two plus three is five.");
            }
            reply.putObject("usage").put("prompt_tokens", 40).put("completion_tokens", 30).put("total_tokens", 70);
            send(exchange, 200, reply);
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error");
        return body;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
