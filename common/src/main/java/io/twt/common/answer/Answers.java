package io.twt.common.answer;

import io.twt.common.Query;

/** Task-kind dispatch over the extraction rules: what an output answers, and whether two answers agree. */
public final class Answers {

    private Answers() {
    }

    /** The canonical answer of an output for this query's task: a number, a letter or a program; null if none. */
    public static String extract(Query query, String output) {
        return switch (query.task()) {
            case MATH -> MathAnswers.canonical(MathAnswers.extract(output));
            case MCQ -> ChoiceAnswers.extract(output, query.choices());
            case CODE -> CodeAnswers.extract(output);
        };
    }

    /**
     * Whether two outputs give the same answer to this query (compression keeps the answer; a teacher agrees
     * with the gold). For code this is textual, since running programs is eval-service's sandbox's job.
     */
    public static boolean sameAnswer(Query query, String output, String other) {
        return switch (query.task()) {
            case MATH -> MathAnswers.same(MathAnswers.extract(output), MathAnswers.extract(other));
            case MCQ -> {
                String letter = ChoiceAnswers.extract(output, query.choices());
                yield letter != null && letter.equals(ChoiceAnswers.extract(other, query.choices()));
            }
            case CODE -> CodeAnswers.same(CodeAnswers.extract(output), CodeAnswers.extract(other));
        };
    }

    /** Whether an output's answer equals the query's gold label (math and multiple choice; code needs tests). */
    public static boolean matchesGold(Query query, String output) {
        if (query.gold() == null) {
            throw new IllegalArgumentException("query " + query.id() + " has no gold answer");
        }
        return switch (query.task()) {
            case MATH -> MathAnswers.matches(output, query.gold());
            case MCQ -> ChoiceAnswers.matches(output, query.choices(), query.gold());
            case CODE -> throw new IllegalArgumentException("code answers are judged by running tests, not by text");
        };
    }
}
