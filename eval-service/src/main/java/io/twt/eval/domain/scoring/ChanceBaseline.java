package io.twt.eval.domain.scoring;

import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.common.answer.ChoiceAnswers;
import io.twt.common.answer.MathAnswers;
import io.twt.eval.domain.dataset.EvalItem;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The chance row: per task kind, one constant answer for every example, the eval set's most frequent gold
 * answer (mcq: a letter, math: a number, code: a reference program), written as the answer-only completion a
 * stage-3 student writes and scored by the same scorer as every model (code in the sandbox, where the program
 * passes its own task's tests and, unless tasks share a solution, no other's). What guessing scores.
 */
public final class ChanceBaseline {

    private ChanceBaseline() {
    }

    /** Per task kind with any gold answer: the most frequent one, the first seen among equals (so the row is stable). */
    public static Map<TaskKind, String> constantAnswers(Map<TaskKind, List<EvalItem>> evalSets) {
        Map<TaskKind, String> answers = new EnumMap<>(TaskKind.class);
        evalSets.forEach((task, items) -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (EvalItem item : items) {
                String answer = goldAnswer(item.query());
                if (answer != null && !answer.isBlank()) {
                    counts.merge(answer, 1, Integer::sum);
                }
            }
            if (!counts.isEmpty()) {
                int most = Collections.max(counts.values());
                counts.entrySet().stream().filter(e -> e.getValue() == most).findFirst()
                        .ifPresent(e -> answers.put(task, e.getKey()));
            }
        });
        return answers;
    }

    /**
     * Scores the constant answers on their eval sets.
     *
     * @param countTokens the student's tokenizer, for the answer's output tokens (0 for every text when none is known)
     */
    public static Map<TaskKind, TaskScore> score(Map<TaskKind, List<EvalItem>> evalSets, Evaluator evaluator,
                                                 ToIntFunction<String> countTokens) {
        Map<TaskKind, TaskScore> scores = new EnumMap<>(TaskKind.class);
        constantAnswers(evalSets).forEach((task, answer) -> {
            List<EvalItem> items = evalSets.get(task);
            String output = StudentPrompt.completion(null, answer);
            ModelOutput constant = new ModelOutput(output, countTokens.applyAsInt(output));
            scores.put(task, TaskScore.of(task, evaluator.score(items, Collections.nCopies(items.size(), constant))));
        });
        return scores;
    }

    /** The gold answer in the form the scorer compares: "c" and a choice's text read as its letter, "1,000.0" as 1000. */
    private static String goldAnswer(Query query) {
        return switch (query.task()) {
            case MCQ -> ChoiceAnswers.goldLetter(query.gold(), query.choices());
            case MATH -> MathAnswers.canonical(MathAnswers.goldAnswer(query.gold()));
            case CODE -> query.gold() == null ? null : query.gold().strip();
        };
    }
}
