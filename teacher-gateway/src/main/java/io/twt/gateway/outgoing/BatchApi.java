package io.twt.gateway.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.gateway.domain.TeacherSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A teacher's Batch API: upload a JSONL input file ({@code POST /files}, multipart, purpose {@code batch}), create a
 * batch over it ({@code POST /batches}, 24 h window, {@code metadata}), list and retrieve batches, download files
 * ({@code GET /files/{id}/content}). OpenAI: under the teacher's {@code base-url}, lines for {@code /v1/chat/completions}.
 * Azure: under the resource's {@code /openai} root with {@code api-version} and the {@code api-key} header, lines for
 * {@code /chat/completions} with the deployment as the model. Plain JDK HTTP: the upload is multipart.
 */
public final class BatchApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WINDOW = "24h";

    private final HttpClient http;
    private final String root;
    private final String apiVersion;
    private final boolean azure;
    private final String apiKey;
    private final Duration timeout;
    private final String deployment;

    BatchApi(TeacherSpec spec, String apiKey) {
        this.azure = spec.kind() == TeacherSpec.ApiKind.AZURE;
        int deployments = spec.baseUrl().indexOf("/deployments/");
        this.root = azure && deployments > 0 ? spec.baseUrl().substring(0, deployments) : spec.baseUrl();
        this.deployment = azure && deployments > 0 ? spec.baseUrl().substring(deployments + "/deployments/".length()) : null;
        this.apiVersion = spec.apiVersion();
        this.apiKey = apiKey;
        this.timeout = spec.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The {@code url} each input line names. */
    String lineUrl() {
        return azure ? "/chat/completions" : "/v1/chat/completions";
    }

    /** Azure takes the deployment as the line's model; OpenAI the model itself. */
    ObjectNode forLine(ObjectNode body) {
        if (deployment != null) {
            body.put("model", deployment);
        }
        return body;
    }

    String upload(String jsonl) throws IOException, InterruptedException {
        String boundary = "twt-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"twt-batch.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + jsonl + "\r\n--" + boundary + "--\r\n";
        return send(request("/files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))).path("id").asText();
    }

    JsonNode create(String inputFileId, Map<String, String> metadata) throws IOException, InterruptedException {
        ObjectNode body = MAPPER.createObjectNode().put("input_file_id", inputFileId).put("endpoint", lineUrl())
                .put("completion_window", WINDOW);
        body.set("metadata", MAPPER.valueToTree(metadata));
        return send(request("/batches").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    JsonNode get(String batchId) throws IOException, InterruptedException {
        return send(request("/batches/" + batchId).GET());
    }

    /** The newest batches, at most {@code limit}. */
    List<JsonNode> list(int limit) throws IOException, InterruptedException {
        List<JsonNode> batches = new ArrayList<>();
        send(request("/batches", "limit=" + limit).GET()).path("data").forEach(batches::add);
        return batches;
    }

    String content(String fileId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/files/" + fileId + "/content").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        check(response);
        return response.body();
    }

    private HttpRequest.Builder request(String path, String... query) {
        List<String> params = new ArrayList<>(List.of(query));
        if (azure && apiVersion != null) {
            params.add("api-version=" + apiVersion);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + path + (params.isEmpty() ? "" : "?" + String.join("&", params))))
                .timeout(timeout);
        if (apiKey != null) {
            builder.header(azure ? "api-key" : "Authorization", azure ? apiKey : "Bearer " + apiKey);
        }
        return builder;
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        check(response);
        return MAPPER.readTree(response.body());
    }

    private static void check(HttpResponse<String> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new IOException("HTTP " + response.statusCode() + " from " + response.uri().getPath() + ": "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
        }
    }
}
