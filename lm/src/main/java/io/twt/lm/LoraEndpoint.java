package io.twt.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.tokenizer.TextTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * A student served behind an OpenAI-compatible endpoint with LoRA adapters as models: {@code ./twt lm serve}, or
 * vLLM started with {@code --enable-lora} and {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}. It registers a
 * version's PEFT adapter ({@code POST /v1/load_lora_adapter}) and generates through {@code POST /v1/completions}
 * with the raw student prompt; output tokens are the endpoint's {@code usage.completion_tokens}. Prompts are sent
 * as concurrent requests, so the server can batch them. The base model's folder (its tokenizer and config.json)
 * must be readable here: each request's {@code max_tokens} is cut to the context its prompt leaves.
 */
public final class LoraEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final int parallelRequests;
    private final TextTokenizer tokenizer;
    private final int contextTokens;

    /**
     * @param baseUrl          the OpenAI-compatible root, e.g. {@code http://127.0.0.1:8000/v1}
     * @param timeout          for one request
     * @param parallelRequests requests in flight at once
     * @param baseModelDir     the base model's folder: tokenizer.json and config.json
     */
    public LoraEndpoint(String baseUrl, Duration timeout, int parallelRequests, Path baseModelDir) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        this.timeout = timeout;
        this.parallelRequests = parallelRequests;
        this.tokenizer = TextTokenizer.load(baseModelDir.resolve("tokenizer.json"));
        this.contextTokens = LlamaConfig.read(baseModelDir.resolve("config.json")).maxPositionEmbeddings();
    }

    /**
     * Registers a PEFT adapter under a name. A name the endpoint already has is kept as it is: names carry recipe,
     * round and stage, and a stage's weights never change once written.
     */
    public void loadAdapter(String name, Path adapterDir) {
        if (!Files.exists(adapterDir.resolve("adapter_config.json"))) {
            throw new IllegalArgumentException(adapterDir + " is not a PEFT adapter (no adapter_config.json): full weights "
                    + "cannot be registered with an endpoint; serve them as a base model, or train with LoRA");
        }
        ObjectNode body = JSON.createObjectNode().put("lora_name", name).put("lora_path", adapterDir.toAbsolutePath().toString());
        HttpResponse<String> response = post("load_lora_adapter", body);
        if (response.statusCode() == 400 && response.body().contains("already been loaded")) {
            return;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the endpoint " + baseUrl + " did not load adapter '" + name + "' from " + adapterDir
                    + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** The base model's name: the model that {@code GET /v1/models} lists without a parent. */
    public String baseModel() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUrl.resolve("models")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + baseUrl + "models: HTTP " + response.statusCode() + " " + response.body());
            }
            for (JsonNode model : JSON.readTree(response.body()).path("data")) {
                if (model.path("parent").isMissingNode() || model.path("parent").isNull()) {
                    return model.path("id").asText();
                }
            }
            throw new IllegalStateException("GET " + baseUrl + "models lists no base model: " + response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Tokens of a text with the student's tokenizer, no special tokens (how output length is measured). */
    public int countTokens(String text) {
        return tokenizer.encode(text, false).length;
    }

    public int contextTokens() {
        return contextTokens;
    }

    /**
     * One completion per prompt, in order: temperature, top_p, stop strings and max_tokens from the config, the
     * token budget cut to what each prompt leaves of the context. Fails on the first request the endpoint refuses.
     */
    public List<Generation> complete(String model, List<String> prompts, GenerationConfig config) {
        Semaphore inFlight = new Semaphore(parallelRequests);
        List<CompletableFuture<Generation>> answers = new ArrayList<>();
        for (String prompt : prompts) {
            int room = contextTokens - tokenizer.encode(prompt, true).length;
            if (room < 1) {
                throw new IllegalArgumentException("a prompt of " + (contextTokens - room) + " tokens leaves no room in the context of "
                        + contextTokens);
            }
            ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", prompt)
                    .put("max_tokens", Math.min(config.maxNewTokens(), room)).put("temperature", config.temperature())
                    .put("top_p", config.topP()).put("seed", config.seed());
            config.stop().forEach(body.withArray("stop")::add);
            inFlight.acquireUninterruptibly();
            answers.add(postAsync("completions", body).whenComplete((r, e) -> inFlight.release())
                    .thenApply(response -> generation(model, response)));
        }
        try {
            return answers.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            answers.forEach(answer -> answer.cancel(true));
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private Generation generation(String model, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the endpoint " + baseUrl + " refused a completion for '" + model + "': HTTP "
                    + response.statusCode() + " " + response.body());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode choice = body.path("choices").path(0);
            Generation.FinishReason reason = choice.path("finish_reason").asText().equals("length")
                    ? Generation.FinishReason.LENGTH : Generation.FinishReason.STOP;
            return new Generation(choice.path("text").asText(), body.path("usage").path("completion_tokens").asInt(), reason);
        } catch (IOException e) {
            throw new IllegalStateException("the endpoint " + baseUrl + " answered with no JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> post(String path, JsonNode body) {
        try {
            return postAsync(path, body).join();
        } catch (CompletionException e) {
            throw new UncheckedIOException("cannot reach " + baseUrl, e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, JsonNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        http.close();
    }
}
