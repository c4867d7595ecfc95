package io.twt.lm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.MultiLoraModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The student behind the OpenAI API as vLLM serves a base model with LoRA adapters: {@code GET /v1/models},
 * {@code POST /v1/completions}, {@code POST /v1/chat/completions} (model = the base's name or an adapter's; SSE when
 * {@code stream}), {@code POST /v1/load_lora_adapter} and {@code /v1/unload_lora_adapter}, {@code GET /health}.
 * HTTP threads parse and answer; generation runs on the {@link BatchScheduler}'s thread. A bad request gets an
 * OpenAI error body with a 4xx status and the server goes on.
 */
public final class CompletionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService executor;
    private final MultiLoraModel student;
    private final BatchScheduler scheduler;
    private final String baseName;
    // the adapters as requests see them, without waiting for the model thread (a batch re-checks, as unloads race)
    private final Map<String, Path> adapters;
    private final long created = Instant.now().getEpochSecond();

    private CompletionServer(HttpServer http, ExecutorService executor, MultiLoraModel student, BatchScheduler scheduler,
                          String baseName) {
        this.http = http;
        this.executor = executor;
        this.student = student;
        this.scheduler = scheduler;
        this.baseName = baseName;
        this.adapters = Collections.synchronizedMap(new LinkedHashMap<>(student.adapters()));
    }

    /**
     * Serves the student (which the server then owns and closes) on host:port, port 0 for a free one.
     *
     * @param baseName the base model's name in requests and {@code /v1/models} (vLLM: the model argument as given)
     * @param maxBatch requests run together in one batch at most
     */
    public static CompletionServer start(MultiLoraModel student, String baseName, String host, int port, int maxBatch)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 1024);
        // one virtual thread per request: a request mostly waits for its batch
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        CompletionServer server = new CompletionServer(http, executor, student, new BatchScheduler(student, maxBatch), baseName);
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The OpenAI-compatible root, e.g. {@code http://127.0.0.1:8000/v1}. */
    public String baseUrl() {
        return "http://" + http.getAddress().getHostString() + ":" + port() + "/v1";
    }

    public String baseName() {
        return baseName;
    }

    int largestBatch() {
        return scheduler.largestBatch();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath().replaceAll("/+$", "");
            switch (route) {
                case "GET /health" -> send(exchange, 200, "text/plain", "");
                case "GET /v1/models" -> send(exchange, 200, models());
                case "POST /v1/completions" -> complete(exchange, false);
                case "POST /v1/chat/completions" -> complete(exchange, true);
                case "POST /v1/load_lora_adapter" -> loadAdapter(exchange);
                case "POST /v1/unload_lora_adapter" -> unloadAdapter(exchange);
                default -> throw new OpenAiError(404, "invalid_request_error", "not_found", null, "no route " + route);
            }
        } catch (OpenAiError e) {
            sendError(exchange, e);
        } catch (RuntimeException e) {
            LOG.warn("request failed", e);
            sendError(exchange, OpenAiError.internal(e.toString()));
        } finally {
            exchange.close();
        }
    }

    private ObjectNode models() {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        data.add(model(baseName, student.modelDir(), null));
        synchronized (adapters) {
            adapters.forEach((name, dir) -> data.add(model(name, dir, baseName)));
        }
        return list;
    }

    private ObjectNode model(String id, Path root, String parent) {
        ObjectNode model = JSON.createObjectNode().put("id", id).put("object", "model").put("created", created)
                .put("owned_by", "twt").put("root", root.toString()).put("parent", parent)
                .put("max_model_len", student.config().maxPositionEmbeddings());
        model.putArray("permission");
        return model;
    }

    private void complete(HttpExchange exchange, boolean chat) throws IOException {
        CompletionRequest request = CompletionRequest.parse(readJson(exchange), chat);
        String adapter = request.model().equals(baseName) ? null : request.model();
        if (adapter != null && !adapters.containsKey(adapter)) {
            throw OpenAiError.modelNotFound(request.model());
        }
        long[] promptIds = student.encode(request.prompt(), true);
        int context = student.config().maxPositionEmbeddings();
        if (promptIds.length == 0) {
            throw OpenAiError.invalid(chat ? "messages" : "prompt", "the prompt is empty");
        }
        if (promptIds.length >= context) {
            throw new OpenAiError(400, "invalid_request_error", "context_length_exceeded", chat ? "messages" : "prompt",
                    "This model's maximum context length is " + context + " tokens. However, your prompt is "
                            + promptIds.length + " tokens, which leaves no room for a completion.");
        }
        GenerationConfig config = request.generationConfig(promptIds.length, context, ThreadLocalRandom.current().nextLong());
        CompletionJob job = new CompletionJob(adapter, promptIds, config, request.stream());
        scheduler.submit(job);
        OpenAiResponses responses = new OpenAiResponses(JSON, (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID(), created,
                request.model(), chat);
        if (request.stream()) {
            stream(exchange, job, responses, request.includeUsage());
            return;
        }
        CompletionJob.Event event = next(job);
        while (event instanceof CompletionJob.Delta) {
            event = next(job);
        }
        if (event instanceof CompletionJob.Failed failed) {
            throw failed.error();
        }
        CompletionJob.Done done = (CompletionJob.Done) event;
        send(exchange, 200, responses.whole(done.generation(), done.promptTokens()));
    }

    /** Server-sent events: one chunk per piece of text, a last chunk with the finish reason, then [DONE]. */
    private void stream(HttpExchange exchange, CompletionJob job, OpenAiResponses responses, boolean includeUsage)
            throws IOException {
        CompletionJob.Event event = next(job);
        if (event instanceof CompletionJob.Failed failed) {
            throw failed.error(); // nothing was sent yet: an ordinary error response
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        boolean first = true;
        while (true) {
            if (event instanceof CompletionJob.Delta delta) {
                writeEvent(out, responses.chunk(delta.text(), first, null));
                first = false;
            } else if (event instanceof CompletionJob.Done done) {
                writeEvent(out, responses.chunk("", first, done.generation().finishReason()));
                if (includeUsage) {
                    writeEvent(out, responses.usageChunk(done.generation(), done.promptTokens()));
                }
                break;
            } else if (event instanceof CompletionJob.Failed failed) {
                writeEvent(out, failed.error().body(JSON)); // the stream has started: the error travels as an event
                break;
            }
            event = next(job);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void loadAdapter(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
        String name = body.path("lora_name").asText("");
        String path = body.path("lora_path").asText("");
        if (name.isBlank() || path.isBlank()) {
            throw OpenAiError.invalid(null, "Both 'lora_name' and 'lora_path' must be provided.");
        }
        if (name.equals(baseName)) {
            throw OpenAiError.invalid("lora_name", "'" + name + "' is the base model's name");
        }
        String failure = scheduler.onModelThread(s -> {
            if (s.hasAdapter(name)) {
                return "The lora adapter '" + name + "' has already been loaded.";
            }
            try {
                s.addAdapter(name, Path.of(path));
                return null;
            } catch (RuntimeException e) {
                return "cannot load adapter '" + name + "' from " + path + ": " + e.getMessage();
            }
        });
        if (failure != null) {
            throw OpenAiError.invalid("lora_path", failure);
        }
        adapters.put(name, Path.of(path));
        LOG.info("loaded adapter {} from {}", name, path);
        send(exchange, 200, "text/plain", "Success: LoRA adapter '" + name + "' added successfully.");
    }

    private void unloadAdapter(HttpExchange exchange) throws IOException {
        String name = readJson(exchange).path("lora_name").asText("");
        if (name.isBlank()) {
            throw OpenAiError.invalid("lora_name", "'lora_name' must be provided.");
        }
        adapters.remove(name);
        if (!scheduler.onModelThread(s -> s.removeAdapter(name))) {
            throw new OpenAiError(404, "invalid_request_error", "not_found", "lora_name",
                    "The lora adapter '" + name + "' cannot be found.");
        }
        LOG.info("unloaded adapter {}", name);
        send(exchange, 200, "text/plain", "Success: LoRA adapter '" + name + "' removed successfully.");
    }

    private static CompletionJob.Event next(CompletionJob job) {
        try {
            return job.events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OpenAiError.internal("interrupted while waiting for the batch");
        }
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw OpenAiError.invalid(null, "the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw OpenAiError.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void writeEvent(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendError(HttpExchange exchange, OpenAiError error) throws IOException {
        if (exchange.getResponseCode() != -1) {
            return; // headers already sent (a stream); the error went out as an event
        }
        send(exchange, error.status, error.body(JSON));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        scheduler.close();
        student.close();
    }
}
