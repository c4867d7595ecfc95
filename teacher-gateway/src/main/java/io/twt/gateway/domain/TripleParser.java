package io.twt.gateway.domain;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a teacher's reply into a {@link Triple}, as forgiving as models need: the JSON object may sit in a
 * code fence or between sentences, use single quotes or trailing commas, name fields a little differently,
 * give factors as numbers, strings or percentages; without JSON, "answer: ..." and "score: 0.85" lines are
 * read. What still cannot be read is {@link ParseOutcome.Unparseable} with the reason, never dropped.
 */
public final class TripleParser {

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();
    private static final List<String> RATIONALE_KEYS = List.of("rationale", "reasoning", "explanation", "thoughts", "steps");
    private static final List<String> ANSWER_KEYS = List.of("answer", "final_answer", "finalanswer", "label", "solution", "code");
    private static final List<String> FACTOR_KEYS = List.of("factors", "confidence_factors", "scores", "ratings");
    private static final List<String> SCORE_KEYS = List.of("score", "confidence", "confidence_score");
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z]*\\s*\\n?(.*?)```", Pattern.DOTALL);
    private static final Pattern ANSWER_LINE = Pattern.compile("(?im)^[\\s*#-]*(?:final\\s+)?answer\\s*[:=]\\s*(.+)$");
    private static final Pattern RATIONALE_LABEL = Pattern.compile("(?is)^\\s*(?:rationale|reasoning)\\s*[:=]\\s*");
    private static final Pattern SCORE_LINE = Pattern.compile("(?i)\\b(?:confidence\\s+)?(?:score|confidence)\\s*[:=]\\s*(\\d+(?:\\.\\d+)?%?)");

    private TripleParser() {
    }

    public static ParseOutcome parse(String reply, List<String> factorNames) {
        if (reply == null || reply.isBlank()) {
            return new ParseOutcome.Unparseable("the reply is empty");
        }
        String incomplete = null;
        for (String candidate : jsonCandidates(reply)) {
            JsonNode node;
            try {
                node = LENIENT.readTree(candidate);
            } catch (Exception e) {
                incomplete = "the JSON object does not parse: " + firstLine(e.getMessage());
                continue;
            }
            if (node != null && node.isObject() && field(node, ANSWER_KEYS) != null) {
                return fromJson(node, factorNames);
            }
        }
        ParseOutcome prose = fromProse(reply, factorNames);
        if (prose != null) {
            return prose;
        }
        if (incomplete == null && reply.indexOf('{') >= 0) {
            incomplete = "the JSON object is not closed (the reply looks cut off)";
        }
        return new ParseOutcome.Unparseable(incomplete != null ? incomplete
                : "no JSON object with an \"answer\" field and no \"answer:\" line");
    }

    private static ParseOutcome fromJson(JsonNode node, List<String> factorNames) {
        String rationale = text(field(node, RATIONALE_KEYS));
        String answer = text(field(node, ANSWER_KEYS));
        if (answer == null || answer.isBlank()) {
            return new ParseOutcome.Unparseable("the \"answer\" field is empty");
        }
        if (rationale == null || rationale.isBlank()) {
            return new ParseOutcome.Unparseable("the JSON object has no \"rationale\"");
        }
        Map<String, Double> factors = new LinkedHashMap<>();
        JsonNode listed = field(node, FACTOR_KEYS);
        if (listed != null && listed.isObject()) {
            listed.properties().forEach(e -> putRating(factors, normalName(e.getKey()), e.getValue()));
        }
        // some models flatten the factors into the top level
        for (String name : factorNames) {
            if (!factors.containsKey(name)) {
                putRating(factors, name, field(node, List.of(name)));
            }
        }
        JsonNode scoreNode = field(node, SCORE_KEYS);
        return new ParseOutcome.Parsed(new Triple(rationale.strip(), answer.strip(), factors,
                scoreNode == null ? null : rating(scoreNode)));
    }

    private static ParseOutcome fromProse(String reply, List<String> factorNames) {
        Matcher answerLine = ANSWER_LINE.matcher(reply);
        if (!answerLine.find()) {
            return null;
        }
        String answer = answerLine.group(1).strip();
        String rationale = RATIONALE_LABEL.matcher(reply.substring(0, answerLine.start())).replaceFirst("").strip();
        if (rationale.isEmpty()) {
            return new ParseOutcome.Unparseable("an \"answer:\" line but no rationale before it");
        }
        Map<String, Double> factors = new LinkedHashMap<>();
        for (String name : factorNames) {
            Matcher m = Pattern.compile("(?i)\\b" + Pattern.quote(name).replace("_", "[ _-]") + "\\s*[:=]\\s*(\\d+(?:\\.\\d+)?%?)").matcher(reply);
            if (m.find()) {
                putRating(factors, name, LENIENT.getNodeFactory().textNode(m.group(1)));
            }
        }
        Matcher score = SCORE_LINE.matcher(reply);
        Double overall = score.find() ? rating(LENIENT.getNodeFactory().textNode(score.group(1))) : null;
        return new ParseOutcome.Parsed(new Triple(rationale, answer, factors, overall));
    }

    /** Fenced blocks first, then every balanced {...} in the reply, outermost first. */
    static List<String> jsonCandidates(String reply) {
        List<String> candidates = new ArrayList<>();
        Matcher fence = FENCE.matcher(reply);
        while (fence.find()) {
            candidates.add(fence.group(1).strip());
        }
        for (int start = reply.indexOf('{'); start >= 0; start = reply.indexOf('{', start + 1)) {
            int end = closingBrace(reply, start);
            if (end > 0) {
                candidates.add(reply.substring(start, end + 1));
                start = end;
            }
        }
        return candidates;
    }

    /** The index of the brace closing the one at {@code start}, skipping braces inside strings; -1 if none. */
    private static int closingBrace(String text, int start) {
        int depth = 0;
        char quote = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' && i > 0 && !Character.isLetter(text.charAt(i - 1))) {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static JsonNode field(JsonNode node, List<String> names) {
        for (var entry : node.properties()) {
            if (names.contains(normalName(entry.getKey())) && !entry.getValue().isNull()) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String normalName(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }

    private static String text(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(part -> parts.add(part.isValueNode() ? part.asText() : part.toString()));
            return String.join("\n", parts);
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static void putRating(Map<String, Double> factors, String name, JsonNode value) {
        Double rating = value == null ? null : rating(value);
        if (rating != null) {
            factors.put(name, rating);
        }
    }

    /** A rating in [0, 1] from 0.85, "0.85", "85%" or 85 (read as percent); null when it is not one. */
    static Double rating(JsonNode value) {
        double v;
        boolean percent = false;
        if (value.isNumber()) {
            v = value.asDouble();
        } else if (value.isTextual()) {
            String text = value.asText().strip();
            percent = text.endsWith("%");
            try {
                v = Double.parseDouble(percent ? text.substring(0, text.length() - 1).strip() : text);
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        if (percent || (v > 1 && v <= 100)) {
            v = v / 100;
        }
        return Double.isFinite(v) && v >= 0 && v <= 1 ? v : null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
