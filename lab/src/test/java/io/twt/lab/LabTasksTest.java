package io.twt.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.task.Solution;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LabTasksTest {

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void sameSeedGivesSameQueriesAndOtherSeedOthers(TaskKind kind) {
        List<Query> first = LabTasks.generate(kind, Split.TRAIN, 40, 7);
        List<Query> again = LabTasks.generate(kind, Split.TRAIN, 40, 7);
        List<Query> other = LabTasks.generate(kind, Split.TRAIN, 40, 8);
        assertEquals(first.stream().map(Query::id).toList(), again.stream().map(Query::id).toList());
        assertEquals(first.stream().map(Query::gold).toList(), again.stream().map(Query::gold).toList());
        assertNotEquals(first.stream().map(Query::id).toList(), other.stream().map(Query::id).toList());
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void trainAndEvalNeverShareAQuery(TaskKind kind) {
        Set<String> train = texts(LabTasks.generate(kind, Split.TRAIN, 300, 1));
        Set<String> eval = texts(LabTasks.generate(kind, Split.EVAL, 80, 1));
        Set<String> evalOtherSeed = texts(LabTasks.generate(kind, Split.EVAL, 80, 2));
        assertEquals(300, train.size(), "train queries are distinct");
        assertEquals(80, eval.size(), "eval queries are distinct");
        Set<String> shared = new HashSet<>(train);
        shared.retainAll(eval);
        shared.addAll(train.stream().filter(evalOtherSeed::contains).toList());
        assertTrue(shared.isEmpty(), "shared between splits: " + shared);
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void everyQueryIsValidAndItsGoldIsWhatTheSolverWorksOutFromThePrompt(TaskKind kind) {
        for (Query query : LabTasks.generate(kind, Split.EVAL, 60, 3)) {
            query.validate();
            assertEquals(LabTasks.SOURCE, query.source());
            Solution solution = LabTasks.solve(StudentPrompt.prompt(query), new Random(1)).orElseThrow(
                    () -> new AssertionError("the lab cannot solve its own task: " + query.text()));
            assertEquals(kind, solution.kind());
            assertEquals(query.gold(), solution.answer(), query.text());
            assertNotEquals(solution.answer(), solution.wrongAnswer(), query.text());
            if (kind == TaskKind.CODE) {
                assertEquals(3, query.tests().size());
            }
            if (kind == TaskKind.MCQ) {
                assertEquals(5, query.choices().size());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void textsStayShortForATinyStudent(TaskKind kind) {
        int longest = LabTasks.generate(kind, Split.TRAIN, 200, 4).stream().mapToInt(q -> q.text().length()).max().orElseThrow();
        assertTrue(longest <= 160, "longest " + kind + " text has " + longest + " characters");
    }

    @org.junit.jupiter.api.Test
    void askingForMoreTasksThanTheLabHasFailsLoudly() {
        assertThrows(IllegalArgumentException.class, () -> LabTasks.generate(TaskKind.CODE, Split.EVAL, 1_000, 1));
    }

    /** What each query asks: its text and its choices (some questions differ only in their choices). */
    private static Set<String> texts(List<Query> queries) {
        return queries.stream().map(q -> q.choices() == null ? q.text() : q.text() + "\n" + q.choices()).collect(Collectors.toSet());
    }
}
