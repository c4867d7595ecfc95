package io.twt.eval.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.answer.MathAnswers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads benchmark files into labelled examples; a malformed line fails the read with its line number. */
public final class DatasetReader {

    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);

    private DatasetReader() {
    }

    /** Reads the file, detecting its format from its first record when {@code format} is null. */
    public static List<EvalItem> read(Path file, DatasetFormat format) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + file, e);
        }
        String firstLine = content.lines().filter(line -> !line.isBlank()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("dataset " + file + " is empty"));
        String source = file.getFileName().toString();
        // a JSON array (MBPP sanitized, MetaMathQA) is often pretty-printed: its first line says nothing
        if (firstLine.strip().startsWith("[")) {
            return readArray(content, format, source);
        }
        List<EvalItem> items = new ArrayList<>();
        List<String> lines = content.lines().toList();
        DatasetFormat chosen = format;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(lines.get(i));
                chosen = chosen != null ? chosen : DatasetFormat.detect(node);
                items.add(item(node, chosen, items.size(), source));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return items;
    }

    private static List<EvalItem> readArray(String content, DatasetFormat format, String source) {
        JsonNode array;
        try {
            array = Json.MAPPER.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not a JSON array: " + e.getMessage(), e);
        }
        DatasetFormat chosen = format != null ? format : DatasetFormat.detect(array.path(0));
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                items.add(item(array.get(i), chosen, i, source));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + " element " + i + ": " + e.getMessage(), e);
            }
        }
        return items;
    }

    /** @param index the record's 0-based position: the id of GSM8K and MetaMathQA records that carry none */
    private static EvalItem item(JsonNode node, DatasetFormat format, int index, String source) {
        return switch (format) {
            case MBPP -> mbpp(node, source);
            case CSQA -> csqa(node, index, source);
            case GSM8K -> math(ownId(node, index), "gsm8k", required(node, "question"), required(node, "answer"), source);
            case METAMATH -> math(ownId(node, index), "metamath", required(node, "query"), required(node, "response"), source);
            case QUERIES -> EvalItem.of(QUERIES.decode(node.toString()));
        };
    }

    private static EvalItem mbpp(JsonNode node, String source) {
        String text = node.has("text") ? required(node, "text") : required(node, "prompt");
        List<String> tests = new ArrayList<>();
        node.path("test_list").forEach(test -> tests.add(test.asText()));
        // the sanitized release's test_imports and the full release's test_setup_code both run before the asserts
        StringBuilder setup = new StringBuilder();
        node.path("test_imports").forEach(line -> setup.append(line.asText()).append('\n'));
        setup.append(node.path("test_setup_code").asText(""));
        Query query = Query.of(required(node, "task_id"), TaskKind.CODE, text, null, tests, source,
                required(node, "code"));
        query.validate();
        return new EvalItem(query, setup.toString().isBlank() ? null : setup.toString().strip(), "mbpp");
    }

    private static EvalItem csqa(JsonNode node, int index, String source) {
        JsonNode question = node.path("question");
        String stem;
        List<String> labels = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (question.isObject()) {
            // the original release: question {stem, choices [{label, text}]}
            stem = required(question, "stem");
            question.path("choices").forEach(choice -> {
                labels.add(choice.path("label").asText());
                texts.add(choice.path("text").asText());
            });
        } else {
            // the Hugging Face release: question (text), choices {label [...], text [...]}
            stem = required(node, "question");
            node.path("choices").path("label").forEach(label -> labels.add(label.asText()));
            node.path("choices").path("text").forEach(text -> texts.add(text.asText()));
        }
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.get(i).equals(String.valueOf((char) ('A' + i)))) {
                throw new IllegalArgumentException("choice labels must run A, B, C...; found " + labels);
            }
        }
        Query query = Query.of(ownId(node, index), TaskKind.MCQ, stem, texts, null, source, required(node, "answerKey"));
        query.validate();
        return new EvalItem(query, null, "csqa");
    }

    /** The record's own "id" (or "idx") field, else its 0-based position in the file. */
    private static String ownId(JsonNode node, int index) {
        for (String field : List.of("id", "idx")) {
            if (node.hasNonNull(field) && !node.get(field).asText().isBlank()) {
                return node.get(field).asText();
            }
        }
        return String.valueOf(index);
    }

    private static EvalItem math(String id, String prefix, String problem, String solution, String source) {
        String gold = MathAnswers.goldAnswer(solution);
        if (gold == null || gold.isBlank()) {
            throw new IllegalArgumentException("no final answer in the solution of " + id);
        }
        Query query = Query.of(id, TaskKind.MATH, problem, null, null, source, gold);
        query.validate();
        return new EvalItem(query, null, prefix);
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value.asText();
    }
}
