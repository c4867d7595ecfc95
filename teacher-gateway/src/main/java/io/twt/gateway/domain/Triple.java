package io.twt.gateway.domain;

import java.util.Map;

/**
 * What a teacher's reply gives once parsed: rationale, answer, the factors it rated (only the ones it gave)
 * and, when it gave a single overall score instead ("score: 0.85", appendix C), that score.
 */
public record Triple(String rationale, String answer, Map<String, Double> factors, Double score) {
}
