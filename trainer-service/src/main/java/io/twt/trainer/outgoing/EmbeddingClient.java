package io.twt.trainer.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Json;
import io.twt.trainer.domain.PoolSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * embedding-service's {@code POST /embed}: the same model and batching as its stream, so a pool's vectors for
 * outputs DCRS never embedded compare with the ones it did.
 */
public final class EmbeddingClient implements PoolSnapshot.Embedder {

    /** Texts per request, below embedding-service's limit of 1024. */
    private static final int BATCH = 256;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    public EmbeddingClient(String baseUrl) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/embed");
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            vectors.addAll(batch(texts.subList(from, Math.min(texts.size(), from + BATCH))));
        }
        return vectors;
    }

    private List<float[]> batch(List<String> texts) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(Map.of("texts", texts))))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException(endpoint + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            JsonNode vectors = Json.MAPPER.readTree(response.body()).path("vectors");
            List<float[]> out = new ArrayList<>(texts.size());
            for (JsonNode vector : vectors) {
                out.add(Json.MAPPER.treeToValue(vector, float[].class));
            }
            if (out.size() != texts.size()) {
                throw new IOException(endpoint + " returned " + out.size() + " vectors for " + texts.size() + " texts");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot embed the pool's rationales at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding rationales", e);
        }
    }
}
