package io.twt.eval.domain.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One scored output, as the per-example report lists it.
 *
 * @param answer what the extraction rules read from the output (letter, number, program); null when none
 * @param error           why it is wrong when it is (no answer, failed test, timeout), else null
 * @param strictMatch     math only: lm-evaluation-harness's GSM8K strict-match verdict ({@link Gsm8kHarness})
 * @param flexibleExtract math only: its flexible-extract verdict
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExampleResult(String id, boolean correct, int outputTokens, String answer, String error,
                            Boolean strictMatch, Boolean flexibleExtract) {

    /** A result without the harness verdicts (code, multiple choice). */
    public ExampleResult(String id, boolean correct, int outputTokens, String answer, String error) {
        this(id, correct, outputTokens, answer, error, null, null);
    }
}
