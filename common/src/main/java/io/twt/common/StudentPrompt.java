package io.twt.common;

import java.util.List;

/**
 * The student's prompt and completion formats, per task kind, in one place: trainer-service trains on
 * them and eval-service generates with them, so training and evaluation agree. The final answer always
 * follows {@link #ANSWER_MARK} on its own line (GSM8K's convention), so one rule extracts it for every
 * stage: after rationale (stage 1), after a compressed rationale (stage 2), or alone (stage 3).
 */
public final class StudentPrompt {

    public static final String ANSWER_MARK = "#### ";

    /** The prompt openings: a student that writes one has finished its answer and started a new prompt. */
    public static final List<String> STOPS = List.of("\nTask: ", "\nQuestion: ", "\nProblem: ");

    private StudentPrompt() {
    }

    /** The input x: the query text, its choices (A, B, ...) or its tests, then where the output starts. */
    public static String prompt(Query query) {
        StringBuilder prompt = new StringBuilder();
        prompt.append(switch (query.task()) {
            case CODE -> "Task: ";
            case MCQ -> "Question: ";
            case MATH -> "Problem: ";
        }).append(query.text().strip()).append('\n');
        if (query.task() == TaskKind.MCQ && query.choices() != null) {
            List<String> choices = query.choices();
            for (int i = 0; i < choices.size(); i++) {
                prompt.append((char) ('A' + i)).append(". ").append(choices.get(i).strip()).append('\n');
            }
        }
        if (query.task() == TaskKind.CODE && query.tests() != null) {
            for (String test : query.tests()) {
                prompt.append(test.strip()).append('\n');
            }
        }
        return prompt.append("Solution:\n").toString();
    }

    /** The target: [r; y] when a rationale is given, [y] when it is null (answer-only stage). */
    public static String completion(String rationale, String answer) {
        String marked = ANSWER_MARK + answer.strip();
        return rationale == null || rationale.isBlank() ? marked : rationale.strip() + "\n" + marked;
    }

    /** The final answer of a completion: what follows the last answer mark, or null when there is none. */
    public static String answerOf(String completion) {
        int mark = completion.lastIndexOf(ANSWER_MARK.strip());
        if (mark < 0) {
            return null;
        }
        return completion.substring(mark + ANSWER_MARK.strip().length()).strip();
    }

    /** The rationale part of a completion: what comes before the answer mark, possibly empty. */
    public static String rationaleOf(String completion) {
        int mark = completion.lastIndexOf(ANSWER_MARK.strip());
        return (mark < 0 ? completion : completion.substring(0, mark)).strip();
    }
}
