package io.twt.common;

/** One teacher rationale kept by DCRS for a query. */
public record DistillSample(String teacher, String rationale, String answer, double confidence) {
}
