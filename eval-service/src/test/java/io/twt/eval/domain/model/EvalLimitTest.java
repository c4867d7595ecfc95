package io.twt.eval.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.twt.common.GenerationCap;
import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import io.twt.eval.domain.dashboard.TeacherScoreboard;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.ExampleResult;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * An experiment with an eval limit scores every row, its students, the vanilla student, chance and the teachers, on
 * the same first N queries of each task's eval split, in the split's order.
 */
class EvalLimitTest {

    private static final int SPLIT = 6;
    private static final int LIMIT = 2;

    @Test
    void everyRowOfALimitedExperimentIsScoredOnTheSameFirstNIds() throws IOException {
        Path work = Files.createTempDirectory("eval-limit-test-");
        work.toFile().setExecutable(true, false);
        Scorer scorer = new Scorer(Sandbox.create(SandboxSetup.defaults(work)));
        Map<TaskKind, List<EvalItem>> split = new EnumMap<>(TaskKind.class);
        for (TaskKind task : List.of(TaskKind.MCQ, TaskKind.MATH)) {
            split.put(task, LabTasks.generate(task, Split.EVAL, SPLIT, 7).stream().map(EvalItem::of).toList());
        }
        VersionEvaluatorTest.RecordingModel student = new VersionEvaluatorTest.RecordingModel(4096);
        VersionEvaluator whole = new VersionEvaluator(split, (base, adapter, name) -> student, new Evaluator(scorer, 1), 4,
                new GenerationCap(64, 2.0, 16));
        VersionEvaluator limited = whole.limitedTo(LIMIT);
        assertSame(whole, whole.limitedTo(null), "no limit: the whole split");

        // the teachers answered every eval query of the split
        TeacherScoreboard teachers = new TeacherScoreboard(scorer);
        split.values().stream().flatMap(List::stream).forEach(item -> {
            teachers.record(teacherOutput(item.query(), "lab-terse", item.query().gold()));
            teachers.record(teacherOutput(item.query(), "lab-narrative", "B"));
        });

        Map<String, Map<TaskKind, TaskScore>> rows = new LinkedHashMap<>();
        rows.put("student", limited.evaluate(Path.of("base"), Path.of("adapter"), "twt-r1-s3", 4));
        rows.put("vanilla", limited.evaluateVanilla(Path.of("base"), OptionalInt.empty()));
        rows.put("chance", limited.evaluateChance(String::length));
        rows.putAll(teachers.scores(limited.evalIds()));

        for (TaskKind task : split.keySet()) {
            List<String> firstN = split.get(task).subList(0, LIMIT).stream().map(item -> item.query().id()).toList();
            assertEquals(firstN, limited.evalIds().get(task));
            assertEquals(5, rows.size(), "student, vanilla, chance and two teachers");
            rows.forEach((model, scores) -> {
                TaskScore score = scores.get(task);
                assertEquals(LIMIT, score.n(), model + " " + task);
                assertEquals(firstN, score.examples().stream().map(ExampleResult::id).toList(), model + " " + task);
            });
        }
        assertEquals(SPLIT, teachers.scores().get("lab-terse").get(TaskKind.MATH).n(), "the whole split's row is unchanged");
        assertEquals(1.0, rows.get("lab-terse").get(TaskKind.MATH).value(), "gold answers score 1 on the first N too");
    }

    private static TeacherOutput teacherOutput(Query query, String teacher, String answer) {
        Query eval = query.withPurpose(QueryPurpose.EVAL);
        return new TeacherOutput(SchemaVersion.CURRENT, eval.id(), eval, teacher, 2, TeacherStatus.OK, "because", answer,
                Map.of(), 0.9, new Usage(5, 7), 1, 1, null);
    }
}
