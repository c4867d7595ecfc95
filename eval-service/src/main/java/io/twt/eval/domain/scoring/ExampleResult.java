package io.twt.eval.domain.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One scored output, as the per-example report lists it.
 *
 * @param answer what the extraction rules read from the output (letter, number, program); null when none
 * @param error  why it is wrong when it is (no answer, failed test, timeout), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExampleResult(String id, boolean correct, int outputTokens, String answer, String error) {
}
