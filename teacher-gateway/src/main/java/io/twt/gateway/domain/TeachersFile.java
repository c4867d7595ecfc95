package io.twt.gateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the teachers file ({@code TWT_TEACHERS_FILE}): YAML with a {@code teachers} list, kebab-case keys as
 * in DESIGN.md. Every mistake is reported with the teacher and key it is in, and unknown keys are refused,
 * since a misspelt {@code budget-usd} would otherwise silently mean "no cap".
 */
public final class TeachersFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Set<String> KEYS = Set.of("name", "base-url", "model", "api-key-env", "api-key-file", "kind",
            "api-version", "max-concurrency", "requests-per-minute", "tokens-per-minute", "timeout",
            "price-per-1k-prompt", "price-per-1k-completion", "budget-usd", "response-format", "temperature", "top-p",
            "max-tokens", "token-limit-field", "reasoning-effort", "extra-body", "extra-headers", "mode", "batch-max-requests",
            "batch-max-age", "batch-poll", "batch-price-factor");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int DEFAULT_MAX_CONCURRENCY = 4;
    private static final int DEFAULT_BATCH_MAX_REQUESTS = 1000;
    // one input file may hold at most 50,000 requests (OpenAI and Azure)
    private static final int BATCH_LINE_LIMIT = 50_000;
    private static final Duration DEFAULT_BATCH_MAX_AGE = Duration.ofMinutes(10);
    private static final Duration DEFAULT_BATCH_POLL = Duration.ofMinutes(1);
    // OpenAI and Azure bill batch requests at half the online price
    private static final double DEFAULT_BATCH_PRICE_FACTOR = 0.5;

    private TeachersFile() {
    }

    public static List<TeacherSpec> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the teachers file " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<TeacherSpec> parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("the teachers file is not valid YAML: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("teachers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("the teachers file needs a non-empty 'teachers' list");
        }
        List<TeacherSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            TeacherSpec spec = teacher(list.get(i), "teachers[" + i + "]");
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("teacher name '" + spec.name() + "' appears twice; names must be unique");
            }
            specs.add(spec);
        }
        return specs;
    }

    private static TeacherSpec teacher(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known: " + KEYS + ")");
            }
        }
        String name = required(node, "name", where);
        String at = where + " (" + name + ")";
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(at + ": name may hold only letters, digits, '.', '_' and '-'");
        }
        String baseUrl = required(node, "base-url", at);
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException(at + ": base-url must start with http:// or https://, got " + baseUrl);
        }
        TeacherSpec.ApiKind kind = enumOf(TeacherSpec.ApiKind.class, text(node, "kind", "openai"), at, "kind");
        String apiVersion = text(node, "api-version", null);
        if (kind == TeacherSpec.ApiKind.AZURE && apiVersion == null) {
            throw new IllegalArgumentException(at + ": kind azure needs api-version (e.g. 2024-10-21)");
        }
        String keyEnv = text(node, "api-key-env", null);
        String keyFile = text(node, "api-key-file", null);
        if (keyEnv != null && keyFile != null) {
            throw new IllegalArgumentException(at + ": give api-key-env or api-key-file, not both");
        }
        int maxConcurrency = integer(node, "max-concurrency", at).orElse(DEFAULT_MAX_CONCURRENCY);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException(at + ": max-concurrency must be at least 1");
        }
        String model = required(node, "model", at);
        return new TeacherSpec(name, stripSlash(baseUrl), model, keyEnv, keyFile, kind, apiVersion,
                maxConcurrency, integer(node, "requests-per-minute", at), integer(node, "tokens-per-minute", at),
                node.has("timeout") ? duration(node.get("timeout").asText(), at + ": timeout") : DEFAULT_TIMEOUT,
                decimal(node, "price-per-1k-prompt", at).orElse(0), decimal(node, "price-per-1k-completion", at).orElse(0),
                decimal(node, "budget-usd", at),
                enumOf(TeacherSpec.ResponseFormat.class, text(node, "response-format", "json-schema"), at, "response-format"),
                requestSettings(node, model, at), batching(node, at));
    }

    /** {@code mode: batch} and its limits; null for {@code mode: online} (the default). */
    private static Batching batching(JsonNode node, String at) {
        String mode = text(node, "mode", "online");
        if (mode.equals("online")) {
            for (String key : List.of("batch-max-requests", "batch-max-age", "batch-poll", "batch-price-factor")) {
                if (node.has(key)) {
                    throw new IllegalArgumentException(at + ": " + key + " needs mode: batch");
                }
            }
            return null;
        }
        if (!mode.equals("batch")) {
            throw new IllegalArgumentException(at + ": mode '" + mode + "' is not one of [online, batch]");
        }
        int maxRequests = integer(node, "batch-max-requests", at).orElse(DEFAULT_BATCH_MAX_REQUESTS);
        if (maxRequests < 1 || maxRequests > BATCH_LINE_LIMIT) {
            throw new IllegalArgumentException(at + ": batch-max-requests must be 1 to " + BATCH_LINE_LIMIT + " (the Batch API's limit)");
        }
        return new Batching(maxRequests,
                node.has("batch-max-age") ? duration(node.get("batch-max-age").asText(), at + ": batch-max-age") : DEFAULT_BATCH_MAX_AGE,
                node.has("batch-poll") ? duration(node.get("batch-poll").asText(), at + ": batch-poll") : DEFAULT_BATCH_POLL,
                decimal(node, "batch-price-factor", at).orElse(DEFAULT_BATCH_PRICE_FACTOR));
    }

    private static RequestSettings requestSettings(JsonNode node, String model, String at) {
        OptionalInt maxTokens = integer(node, "max-tokens", at);
        if (maxTokens.isPresent() && maxTokens.getAsInt() < 1) {
            throw new IllegalArgumentException(at + ": max-tokens must be at least 1");
        }
        RequestSettings.TokenLimitField field = node.has("token-limit-field")
                ? enumOf(RequestSettings.TokenLimitField.class, text(node, "token-limit-field", ""), at, "token-limit-field")
                : RequestSettings.defaultTokenLimitField(model);
        return new RequestSettings(decimal(node, "temperature", at), decimal(node, "top-p", at), maxTokens, field,
                text(node, "reasoning-effort", null), mapping(node, "extra-body", at), headers(node, at));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(where + ": " + key + " must be a mapping, got " + value);
        }
        return YAML.convertValue(value, LinkedHashMap.class);
    }

    private static Map<String, String> headers(JsonNode node, String where) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> header : mapping(node, "extra-headers", where).entrySet()) {
            if (!(header.getValue() instanceof String || header.getValue() instanceof Number)
                    || !header.getKey().matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException(where + ": extra-headers must map header names to text values, got "
                        + header.getKey() + ": " + header.getValue());
            }
            headers.put(header.getKey(), header.getValue().toString());
        }
        return headers;
    }

    /** "30s", "2m", "500ms", "1h" */
    public static Duration duration(String text, String where) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(where + " must look like 500ms, 30s, 2m or 1h, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static String required(JsonNode node, String key, String where) {
        String value = text(node, key, null);
        if (value == null) {
            throw new IllegalArgumentException(where + ": missing '" + key + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return fallback;
        }
        return value.asText().strip();
    }

    private static OptionalInt integer(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new IllegalArgumentException(where + ": " + key + " must be a whole number >= 0, got " + value);
        }
        return OptionalInt.of(value.asInt());
    }

    private static OptionalDouble decimal(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber() || value.asDouble() < 0) {
            throw new IllegalArgumentException(where + ": " + key + " must be a number >= 0, got " + value);
        }
        return OptionalDouble.of(value.asDouble());
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String text, String where, String key) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + key + " '" + text + "' is not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
