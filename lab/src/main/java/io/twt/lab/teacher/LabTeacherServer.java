package io.twt.lab.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.twt.common.ChatMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab teachers behind a real OpenAI-compatible HTTP API ({@code GET /v1/models},
 * {@code POST /v1/chat/completions} with {@code usage}; {@code response_format} is read for the factor
 * names; the Batch API's {@code /v1/files} and {@code /v1/batches}, {@link LabBatches}), one model per {@link Persona}, with latency and faults from {@link FaultSettings}. Run it as
 * {@code LabTeacherServer [--host H] [--port 8090] [--latency-ms N] [--jitter-ms N] [--faults RATE]
 * [--fault-429 R] [--fault-500 R] [--fault-timeout R] [--fault-malformed R] [--hang-ms N] [--retry-after-s N]}.
 */
public final class LabTeacherServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    // the usual rule of thumb for English text in BPE tokenizers
    private static final int CHARS_PER_TOKEN = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile FaultSettings faults;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faultsInjected = new AtomicLong();
    private final LabBatches batches = new LabBatches(LabTeacherServer::answerBody);

    private LabTeacherServer(HttpServer server, ExecutorService executor, FaultSettings faults) {
        this.server = server;
        this.executor = executor;
        this.faults = faults;
    }

    /** Starts the server; port 0 picks a free one. */
    public static LabTeacherServer start(String host, int port, FaultSettings faults) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 1024);
        // one virtual thread per request: latency and hangs are sleeps, not occupied platform threads
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        LabTeacherServer lab = new LabTeacherServer(http, executor, faults);
        http.setExecutor(executor);
        http.createContext("/v1/models", lab::models);
        http.createContext("/v1/chat/completions", lab::completions);
        http.createContext("/v1/files", lab::files);
        http.createContext("/v1/batches", lab::batches);
        http.start();
        return lab;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The OpenAI-compatible root, e.g. {@code http://127.0.0.1:8090/v1}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/v1";
    }

    /** Changes latency and faults of the running server (tests turn faults on and off). */
    public void faults(FaultSettings settings) {
        this.faults = settings;
    }

    public long requests() {
        return requests.get();
    }

    public long faultsInjected() {
        return faultsInjected.get();
    }

    /** Batches created so far (the Batch API). */
    public int batchesCreated() {
        return batches.created();
    }

    /** The custom ids of every line of every batch created, repeats included. */
    public List<String> batchLines() {
        return batches.customIds();
    }

    /** While held, new batches stay in progress; {@code false} completes every open one. */
    public void holdBatches(boolean hold) {
        batches.hold(hold);
    }

    /** Expires every open batch: all its lines go to the error file with {@code batch_expired}. */
    public void expireOpenBatches() {
        batches.expireOpen();
    }

    /** {@code POST /v1/files} (multipart: {@code purpose}, {@code file}); {@code GET /v1/files/{id}/content}. */
    private void files(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(exchange.getRequestMethod()) && path.endsWith("/content")) {
                String id = path.substring("/v1/files/".length(), path.length() - "/content".length());
                String content = batches.content(id);
                if (content == null) {
                    send(exchange, 404, error("no file " + id, "invalid_request_error"));
                    return;
                }
                byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/jsonl");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("use POST to upload, GET .../content to download", "invalid_request_error"));
                return;
            }
            Map<String, String> parts = Multipart.parts(exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestBody().readAllBytes());
            if (!parts.containsKey("file") || !"batch".equals(parts.get("purpose"))) {
                send(exchange, 400, error("a batch upload needs the parts 'purpose' (batch) and 'file'", "invalid_request_error"));
                return;
            }
            send(exchange, 200, batches.upload(parts.get("file"), "batch", "input.jsonl"));
        }
    }

    /** {@code POST /v1/batches}, {@code GET /v1/batches[?limit=N]}, {@code GET /v1/batches/{id}}. */
    private void batches(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod())) {
                ObjectNode batch = batches.create(MAPPER.readTree(exchange.getRequestBody()));
                if (batch == null) {
                    send(exchange, 400, error("input_file_id is not an uploaded file", "invalid_request_error"));
                } else {
                    send(exchange, 200, batch);
                }
                return;
            }
            if (path.equals("/v1/batches") || path.equals("/v1/batches/")) {
                String query = exchange.getRequestURI().getQuery();
                int limit = query != null && query.matches(".*limit=\\d+.*") ? Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1")) : 20;
                send(exchange, 200, batches.list(limit));
                return;
            }
            ObjectNode batch = batches.get(path.substring("/v1/batches/".length()));
            if (batch == null) {
                send(exchange, 404, error("no batch " + path, "invalid_request_error"));
            } else {
                send(exchange, 200, batch);
            }
        }
    }

    /** The completion a persona gives to one request body, as a batch line's response body; null for an unknown model. */
    private static ObjectNode answerBody(JsonNode request) {
        String model = request.path("model").asText("");
        if (Persona.named(model).isEmpty()) {
            return null;
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : request.path("messages")) {
            messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText("")));
        }
        Persona persona = Persona.named(model).get();
        return completion(persona, messages, LabTeacher.answer(persona, messages, request.get("response_format")),
                request.path("logprobs").asBoolean(false));
    }

    private void models(HttpExchange exchange) throws IOException {
        try (exchange) {
            ObjectNode body = MAPPER.createObjectNode().put("object", "list");
            ArrayNode data = body.putArray("data");
            for (Persona persona : Persona.ROSTER) {
                data.addObject().put("id", persona.name()).put("object", "model").put("owned_by", "twt-lab");
            }
            send(exchange, 200, body);
        }
    }

    private void completions(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("use POST", "invalid_request_error"));
                return;
            }
            requests.incrementAndGet();
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                request = MAPPER.readTree(in);
            } catch (IOException e) {
                send(exchange, 400, error("request body is not JSON: " + e.getMessage(), "invalid_request_error"));
                return;
            }
            String model = request.path("model").asText("");
            Persona persona = Persona.named(model).orElse(null);
            if (persona == null) {
                send(exchange, 404, error("model '" + model + "' does not exist", "invalid_request_error"));
                return;
            }
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : request.path("messages")) {
                messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText("")));
            }
            FaultSettings settings = faults;
            String content = LabTeacher.answer(persona, messages, request.get("response_format"));
            // the latency is the whole time to answer, the lab's own work included
            Duration latency = settings.latency().plusMillis(settings.jitter().isZero() ? 0
                    : ThreadLocalRandom.current().nextLong(settings.jitter().toMillis() + 1));
            sleep(latency.minusNanos(System.nanoTime() - received));
            double roll = ThreadLocalRandom.current().nextDouble();
            if (roll < settings.rate429()) {
                faultsInjected.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(settings.retryAfterSeconds()));
                send(exchange, 429, error("rate limit reached, retry later", "rate_limit_exceeded"));
                return;
            }
            roll -= settings.rate429();
            if (roll < settings.rate500()) {
                faultsInjected.incrementAndGet();
                send(exchange, 500, error("the lab teacher had an internal error", "server_error"));
                return;
            }
            roll -= settings.rate500();
            if (roll < settings.rateTimeout()) {
                faultsInjected.incrementAndGet();
                sleep(settings.hang());
            } else if (roll - settings.rateTimeout() < settings.rateMalformed()) {
                faultsInjected.incrementAndGet();
                content = content.substring(0, content.length() / 2);
            }
            send(exchange, 200, completion(persona, messages, content, request.path("logprobs").asBoolean(false)));
        } catch (RuntimeException e) {
            send(exchange, 500, error("lab server failure: " + e, "server_error"));
        }
    }

    /** @param logprobs whether the request asked for {@code logprobs}: then each content token carries one */
    private static ObjectNode completion(Persona persona, List<ChatMessage> messages, String content, boolean logprobs) {
        String model = persona.name();
        long promptChars = messages.stream().mapToLong(m -> m.content().length()).sum();
        long promptTokens = Math.max(1, (promptChars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
        long completionTokens = Math.max(1, (content.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
        ObjectNode body = MAPPER.createObjectNode()
                .put("id", "chatcmpl-" + UUID.randomUUID())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        if (logprobs) {
            // OpenAI's shape: one entry per token; the lab's tokens are CHARS_PER_TOKEN characters, all as likely
            double logprob = LabTeacher.meanLogprob(persona, messages);
            ArrayNode tokens = choice.putObject("logprobs").putArray("content");
            for (int at = 0; at < content.length(); at += CHARS_PER_TOKEN) {
                tokens.addObject().put("token", content.substring(at, Math.min(content.length(), at + CHARS_PER_TOKEN)))
                        .put("logprob", logprob).putArray("top_logprobs");
            }
        }
        body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return body;
    }

    private static ObjectNode error(String message, String type) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("error").put("message", message).put("type", type);
        return body;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client went away (a timed-out caller): nothing left to tell it
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8090;
        long latencyMs = 0;
        long jitterMs = 0;
        double r429 = 0;
        double r500 = 0;
        double rTimeout = 0;
        double rMalformed = 0;
        long hangMs = 30_000;
        int retryAfter = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--latency-ms" -> latencyMs = Long.parseLong(args[++i]);
                case "--jitter-ms" -> jitterMs = Long.parseLong(args[++i]);
                case "--faults" -> {
                    double each = Double.parseDouble(args[++i]) / 4;
                    r429 = each;
                    r500 = each;
                    rTimeout = each;
                    rMalformed = each;
                }
                case "--fault-429" -> r429 = Double.parseDouble(args[++i]);
                case "--fault-500" -> r500 = Double.parseDouble(args[++i]);
                case "--fault-timeout" -> rTimeout = Double.parseDouble(args[++i]);
                case "--fault-malformed" -> rMalformed = Double.parseDouble(args[++i]);
                case "--hang-ms" -> hangMs = Long.parseLong(args[++i]);
                case "--retry-after-s" -> retryAfter = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "; see the LabTeacherServer javadoc for the options");
                    System.exit(2);
                }
            }
        }
        FaultSettings settings = new FaultSettings(Duration.ofMillis(latencyMs), Duration.ofMillis(jitterMs),
                r429, r500, rTimeout, rMalformed, Duration.ofMillis(hangMs), retryAfter);
        LabTeacherServer lab = start(host, port, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "lab-shutdown"));
        System.out.println("lab teachers " + Persona.ROSTER.stream().map(Persona::name).toList() + " at " + lab.baseUrl()
                + " (latency " + latencyMs + " ms, faults " + settings.totalRate() + ")");
        stopped.await();
    }
}
