package io.twt.compression;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.twt.common.ChatMessage;
import io.twt.common.ChatReply;
import io.twt.common.ChatRequest;
import io.twt.common.CompressionPrompt;
import io.twt.common.Json;
import io.twt.common.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server speaking teacher-gateway's chat API ({@code POST /teachers/{name}/chat}) with one
 * scripted teacher behind it: it rewrites a rationale to its first sentence, or, for questions that
 * contain {@link #CONTRADICT}, replies with a wrong final answer, so the service has to fall back.
 */
public final class RewritingTeacherServer implements AutoCloseable {

    public static final String CONTRADICT = "[contradict]";

    private final HttpServer server;
    private final long latencyMillis;
    private final AtomicInteger calls = new AtomicInteger();
    private final ConcurrentMap<String, AtomicInteger> callsPerTeacher = new ConcurrentHashMap<>();

    public RewritingTeacherServer(long latencyMillis) {
        this.latencyMillis = latencyMillis;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/teachers/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int calls() {
        return calls.get();
    }

    public int calls(String teacher) {
        return callsPerTeacher.getOrDefault(teacher, new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            if (!"POST".equals(exchange.getRequestMethod()) || path.length != 4 || !"chat".equals(path[3])) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String teacher = path[2];
            ChatRequest request = Json.MAPPER.readValue(exchange.getRequestBody(), ChatRequest.class);
            calls.incrementAndGet();
            callsPerTeacher.computeIfAbsent(teacher, t -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(latencyMillis);
            String user = request.messages().stream().filter(m -> m.role().equals("user")).map(ChatMessage::content)
                    .reduce((first, second) -> second).orElse("");
            CompressionPrompt.Sections sections = CompressionPrompt.parse(user);
            if (sections == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String content = sections.question().contains(CONTRADICT)
                    ? "It is something else.\n#### not-" + sections.answer()
                    : firstSentence(sections.originalRationale());
            byte[] body = Json.MAPPER.writeValueAsBytes(new ChatReply(teacher, content, new Usage(100, 10), latencyMillis, 1));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
