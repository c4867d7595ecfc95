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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The teachers' rows of Table 1: each teacher's answers to eval queries ({@link Query#forEvaluation()}, the
 * queries students are scored on; never their answers to distillation queries) on {@code twt.teacher-outputs},
 * scored like the student's wherever the query carries a gold label (or tests, for code). A teacher whose call
 * failed gave no answer and is not counted; an unparseable reply counts as wrong. Output tokens are the
 * completion tokens the teacher's endpoint reported. An output already scored (redelivered, or read again after a
 * restart, its result {@linkplain #restore restored} from the committed reports) is not scored again: its code
 * does not run twice.
 */
public final class TeacherScoreboard {

    private final Scorer scorer;
    // teacher -> task -> query id -> result
    private final Map<String, Map<TaskKind, Map<String, ExampleResult>>> results = new TreeMap<>();
    private long version;

    public TeacherScoreboard(Scorer scorer) {
        this.scorer = scorer;
    }

    /**
     * Scores one teacher output; false when it is not scored: not an eval query, no gold (no tests), the call failed,
     * code without a sandbox, or already scored.
     */
    public boolean record(TeacherOutput output) {
        Query query = output.query();
        if (!query.forEvaluation() || output.status() == TeacherStatus.FAILED || !scorable(query)
                || query.task() == TaskKind.CODE && scorer.refusesCode() || scored(output.teacher(), query)) {
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

    /** Seeds a teacher's results from its committed report (after a restart); the version does not change. */
    public synchronized void restore(String teacher, TaskKind task, List<ExampleResult> examples) {
        Map<String, ExampleResult> byQuery = results.computeIfAbsent(teacher, t -> new EnumMap<>(TaskKind.class))
                .computeIfAbsent(task, t -> new LinkedHashMap<>());
        examples.forEach(example -> byQuery.putIfAbsent(example.id(), example));
    }

    private synchronized boolean scored(String teacher, Query query) {
        return results.getOrDefault(teacher, Map.of()).getOrDefault(query.task(), Map.of()).containsKey(query.id());
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

    /**
     * teacher -> task -> score over the given query ids alone (an experiment's first N eval queries), in their
     * order; a task none of whose ids a teacher answered has no score.
     */
    public synchronized Map<String, Map<TaskKind, TaskScore>> scores(Map<TaskKind, List<String>> ids) {
        Map<String, Map<TaskKind, TaskScore>> scores = new LinkedHashMap<>();
        results.forEach((teacher, byTask) -> {
            Map<TaskKind, TaskScore> row = new EnumMap<>(TaskKind.class);
            ids.forEach((task, only) -> {
                Map<String, ExampleResult> byQuery = byTask.getOrDefault(task, Map.of());
                List<ExampleResult> answered = only.stream().map(byQuery::get).filter(Objects::nonNull).toList();
                if (!answered.isEmpty()) {
                    row.put(task, TaskScore.of(task, answered));
                }
            });
            if (!row.isEmpty()) {
                scores.put(teacher, row);
            }
        });
        return scores;
    }

    private static boolean scorable(Query query) {
        return query.task() == TaskKind.CODE
                ? query.tests() != null && !query.tests().isEmpty()
                : query.gold() != null;
    }
}
