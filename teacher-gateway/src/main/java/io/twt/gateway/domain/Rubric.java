package io.twt.gateway.domain;

import io.twt.common.ChatMessage;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How one task kind is asked and scored (paper 3.1.1, appendix C): the prompt templates and the confidence
 * factors with their weights. Templates may use {question}, {choices}, {tests}, {factors} and {factor_names};
 * the gold answer is never a placeholder, so a teacher never sees it.
 */
public record Rubric(TaskKind kind, String system, String user, Map<String, Double> weights) {

    public Rubric {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException(kind.wire() + ": a rubric needs at least one factor");
        }
        weights.forEach((factor, weight) -> {
            if (!(weight > 0)) {
                throw new IllegalArgumentException(kind.wire() + ": weight of '" + factor + "' must be > 0, is " + weight);
            }
        });
        // heaviest factor first, so prompts list factors by importance whatever order configuration gives
        Map<String, Double> ordered = new LinkedHashMap<>();
        weights.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        weights = java.util.Collections.unmodifiableMap(ordered);
    }

    public List<String> factorNames() {
        return List.copyOf(weights.keySet());
    }

    public List<ChatMessage> messages(Query query) {
        return List.of(ChatMessage.system(fill(system, query)), ChatMessage.user(fill(user, query)));
    }

    private String fill(String template, Query query) {
        return template
                .replace("{question}", query.text().strip())
                .replace("{choices}", choices(query))
                .replace("{tests}", query.tests() == null ? "" : String.join("\n", query.tests()))
                .replace("{factors}", weights.keySet().stream().map(f -> "\"" + f + "\": <0.0-1.0>")
                        .collect(Collectors.joining(", ", "{", "}")))
                .replace("{factor_names}", String.join(", ", weights.keySet()))
                .strip();
    }

    private static String choices(Query query) {
        if (query.choices() == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < query.choices().size(); i++) {
            text.append(i == 0 ? "" : "\n").append((char) ('A' + i)).append(". ").append(query.choices().get(i).strip());
        }
        return text.toString();
    }

    /** c = sum of w_j * m_j over this rubric's factors, weights normalised to sum 1; a missing factor counts 0. */
    public double confidence(Map<String, Double> factors) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double c = 0;
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            c += w.getValue() / total * Math.max(0, Math.min(1, factors.getOrDefault(w.getKey(), 0.0)));
        }
        return Math.max(0, Math.min(1, c));
    }
}
