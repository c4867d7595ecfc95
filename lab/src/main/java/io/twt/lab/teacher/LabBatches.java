package io.twt.lab.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The OpenAI Batch API as the lab serves it: files uploaded with purpose {@code batch} (JSONL of
 * {@code {custom_id, method, url, body}}), batches created over them with {@code metadata}, listed, retrieved,
 * and their output and error files. A batch stays {@code in_progress} while held ({@link #hold}) and completes
 * when released; {@link #expireOpen} expires the open ones instead, every line going to the error file with
 * {@code batch_expired}, as OpenAI does for lines not run within the 24 h window.
 */
final class LabBatches {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, String> files = new HashMap<>();
    private final Map<String, ObjectNode> batches = new LinkedHashMap<>();
    private final Function<JsonNode, ObjectNode> answer;
    private boolean held;

    /** @param answer a chat completion body for a request body, null for an unknown model */
    LabBatches(Function<JsonNode, ObjectNode> answer) {
        this.answer = answer;
    }

    synchronized ObjectNode upload(String content, String purpose, String filename) {
        String id = "file-" + UUID.randomUUID();
        files.put(id, content);
        return MAPPER.createObjectNode().put("id", id).put("object", "file").put("bytes", content.getBytes(StandardCharsets.UTF_8).length)
                .put("created_at", System.currentTimeMillis() / 1000).put("filename", filename).put("purpose", purpose);
    }

    synchronized String content(String fileId) {
        return files.get(fileId);
    }

    /** A new batch over an uploaded file; null when the file is unknown. */
    synchronized ObjectNode create(JsonNode request) {
        String inputFile = request.path("input_file_id").asText();
        if (!files.containsKey(inputFile)) {
            return null;
        }
        int lines = (int) files.get(inputFile).lines().filter(l -> !l.isBlank()).count();
        ObjectNode batch = MAPPER.createObjectNode().put("id", "batch_" + UUID.randomUUID()).put("object", "batch")
                .put("endpoint", request.path("endpoint").asText()).put("input_file_id", inputFile)
                .put("completion_window", request.path("completion_window").asText("24h"))
                .put("status", "in_progress").put("created_at", System.currentTimeMillis() / 1000);
        batch.putNull("output_file_id");
        batch.putNull("error_file_id");
        batch.set("metadata", request.has("metadata") ? request.get("metadata") : MAPPER.createObjectNode());
        batch.putObject("request_counts").put("total", lines).put("completed", 0).put("failed", 0);
        batches.put(batch.get("id").asText(), batch);
        if (!held) {
            finish(batch, false);
        }
        return batch.deepCopy();
    }

    synchronized ObjectNode get(String batchId) {
        ObjectNode batch = batches.get(batchId);
        return batch == null ? null : batch.deepCopy();
    }

    /** Newest first, as OpenAI lists them. */
    synchronized ObjectNode list(int limit) {
        List<ObjectNode> all = new ArrayList<>(batches.values());
        Collections.reverse(all);
        ObjectNode page = MAPPER.createObjectNode().put("object", "list").put("has_more", all.size() > limit);
        ArrayNode data = page.putArray("data");
        all.stream().limit(limit).forEach(b -> data.add(b.deepCopy()));
        return page;
    }

    synchronized int created() {
        return batches.size();
    }

    /** Lines of every batch created so far (custom ids, repeats included). */
    synchronized List<String> customIds() {
        List<String> ids = new ArrayList<>();
        for (ObjectNode batch : batches.values()) {
            files.get(batch.get("input_file_id").asText()).lines().filter(l -> !l.isBlank())
                    .forEach(line -> ids.add(read(line).path("custom_id").asText()));
        }
        return ids;
    }

    /** While held, new batches stay in progress; releasing completes every open one. */
    synchronized void hold(boolean hold) {
        this.held = hold;
        if (!hold) {
            batches.values().stream().filter(b -> b.get("status").asText().equals("in_progress")).toList()
                    .forEach(b -> finish(b, false));
        }
    }

    synchronized void expireOpen() {
        batches.values().stream().filter(b -> b.get("status").asText().equals("in_progress")).toList()
                .forEach(b -> finish(b, true));
    }

    private void finish(ObjectNode batch, boolean expire) {
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int completed = 0;
        int failed = 0;
        for (String line : files.get(batch.get("input_file_id").asText()).lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode request = read(line);
            ObjectNode result = MAPPER.createObjectNode().put("id", "batch_req_" + UUID.randomUUID())
                    .put("custom_id", request.path("custom_id").asText());
            ObjectNode body = expire ? null : answer.apply(request.path("body"));
            if (body != null) {
                result.putObject("response").put("status_code", 200).put("request_id", UUID.randomUUID().toString()).set("body", body);
                result.putNull("error");
                output.append(result).append('\n');
                completed++;
            } else {
                result.putNull("response");
                result.putObject("error").put("code", expire ? "batch_expired" : "model_not_found")
                        .put("message", expire ? "This request could not be executed before the completion window expired."
                                : "model '" + request.path("body").path("model").asText() + "' does not exist");
                errors.append(result).append('\n');
                failed++;
            }
        }
        batch.put("status", expire ? "expired" : "completed");
        if (completed > 0) {
            batch.put("output_file_id", upload(output.toString(), "batch_output", "output.jsonl").get("id").asText());
        }
        if (failed > 0) {
            batch.put("error_file_id", upload(errors.toString(), "batch_output", "errors.jsonl").get("id").asText());
        }
        ((ObjectNode) batch.get("request_counts")).put("completed", completed).put("failed", failed);
    }

    private static JsonNode read(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
