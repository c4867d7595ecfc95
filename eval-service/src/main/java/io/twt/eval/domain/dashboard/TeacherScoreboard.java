package io.twt.eval.domain.dashboard;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.scoring.ExampleResult;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The teachers' rows of Table 1: each teacher's answers on {@code twt.teacher-outputs} scored like the
 * student's wherever the query carries a gold label (or tests, for code). A teacher whose call failed
 * gave no answer and is not counted; an unparseable reply counts as wrong. Output tokens are the
 * completion tokens the teacher's endpoint reported. Redelivered outputs replace, never add.
 */
public final class TeacherScoreboard {

    private final Scorer scorer;
    // teacher -> task -> query id -> result
    private final Map<String, Map<TaskKind, Map<String, ExampleResult>>> results = new TreeMap<>();
    private long version;

    public TeacherScoreboard(Scorer scorer) {
        this.scorer = scorer;
    }

    /** Scores one teacher output; false when it cannot be scored (no gold, no tests, or the call failed). */
    public boolean record(TeacherOutput output) {
        Query query = output.query();
        if (output.status() == TeacherStatus.FAILED || !scorable(query)
                || query.task() == TaskKind.CODE && scorer.refusesCode()) {
            return false;
        }
        int tokens = output.usage() == null ? 0 : (int) output.usage().completionTokens();
        ExampleResult result = output.status() == TeacherStatus.OK
                ? scorer.score(EvalItem.of(query), output.answer(), tokens)
                : new ExampleResult(query.id(), false, tokens, null, "unparseable teacher reply");
        synchronized (this) {
            results.computeIfAbsent(output.teacher(), t -> new EnumMap<>(TaskKind.class))
                    .computeIfAbsent(query.task(), t -> new LinkedHashMap<>()).put(query.id(), result);
            version++;
        }
        return true;
    }

    /** Changes with every recorded output, so a publisher can tell whether anything is new. */
    public synchronized long version() {
        return version;
    }

    /** teacher -> task -> score, teachers in name order. */
    public synchronized Map<String, Map<TaskKind, TaskScore>> scores() {
        Map<String, Map<TaskKind, TaskScore>> scores = new LinkedHashMap<>();
        results.forEach((teacher, byTask) -> {
            Map<TaskKind, TaskScore> row = new EnumMap<>(TaskKind.class);
            byTask.forEach((task, byQuery) -> row.put(task, TaskScore.of(task, new ArrayList<>(byQuery.values()))));
            scores.put(teacher, row);
        });
        return scores;
    }

    private static boolean scorable(Query query) {
        return query.task() == TaskKind.CODE
                ? query.tests() != null && !query.tests().isEmpty()
                : query.gold() != null;
    }
}
