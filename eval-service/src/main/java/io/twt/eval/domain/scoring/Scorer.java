package io.twt.eval.domain.scoring;

import io.twt.common.Query;
import io.twt.common.answer.ChoiceAnswers;
import io.twt.common.answer.CodeAnswers;
import io.twt.common.answer.MathAnswers;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxResult;

/**
 * Judges one output against its example: code by running the extracted program with the example's
 * asserts in the sandbox (pass@1 with one greedy sample), multiple choice by the extracted letter, math
 * by the extracted final number (lm-evaluation-harness GSM8K conventions; see {@code io.twt.common.answer}).
 */
public final class Scorer {

    /** The error of a code sample that was not run because no sandbox works here (and the user did not opt in). */
    public static final String NOT_RUN = "not run: no sandbox";

    private final Sandbox sandbox;

    public Scorer(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public ExampleResult score(EvalItem item, String output, int outputTokens) {
        Query query = item.query();
        return switch (query.task()) {
            case CODE -> scoreCode(item, output, outputTokens);
            case MCQ -> {
                String letter = ChoiceAnswers.extract(output, query.choices());
                boolean correct = ChoiceAnswers.matches(output, query.choices(), query.gold());
                yield new ExampleResult(query.id(), correct, outputTokens, letter,
                        correct ? null : letter == null ? "no choice letter in the output" : "chose " + letter);
            }
            case MATH -> {
                String answer = MathAnswers.extract(output);
                boolean correct = MathAnswers.matches(output, query.gold());
                yield new ExampleResult(query.id(), correct, outputTokens, answer,
                        correct ? null : answer == null ? "no final answer in the output" : "answered " + answer,
                        Gsm8kHarness.STRICT_MATCH.matches(output, query.gold()),
                        Gsm8kHarness.FLEXIBLE_EXTRACT.matches(output, query.gold()));
            }
        };
    }

    private ExampleResult scoreCode(EvalItem item, String output, int outputTokens) {
        String program = CodeAnswers.extract(output);
        if (program == null) {
            return new ExampleResult(item.id(), false, outputTokens, null, "no program in the output");
        }
        if (sandbox.refusesCode()) {
            return new ExampleResult(item.id(), false, outputTokens, program, NOT_RUN);
        }
        SandboxResult result = sandbox.run(testProgram(program, item));
        return new ExampleResult(item.id(), result.passed(), outputTokens, program, result.error());
    }

    /** Whether code samples are refused here, so that callers leave code rows out instead of scoring them 0. */
    public boolean refusesCode() {
        return sandbox.refusesCode();
    }

    /** MBPP's harness order: the solution, then the setup code (and test imports), then the asserts. */
    static String testProgram(String program, EvalItem item) {
        StringBuilder source = new StringBuilder(program).append('\n');
        if (item.testSetup() != null) {
            source.append(item.testSetup()).append('\n');
        }
        for (String test : item.query().tests()) {
            source.append(test).append('\n');
        }
        return source.toString();
    }
}
