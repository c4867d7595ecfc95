package io.twt.eval.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.ExampleResult;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeacherScoreboardTest {

    private static TeacherOutput output(String teacher, Query query, TeacherStatus status, String answer, long tokens) {
        return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, 2, status,
                status == TeacherStatus.OK ? "because" : null, answer, Map.of(), 0.9, new Usage(5, tokens), 1, 1, null);
    }

    @Test
    void teachersAreScoredAgainstGoldAndRedeliveryDoesNotCountTwice() throws IOException {
        Path work = Files.createTempDirectory("teachers-");
        work.toFile().setExecutable(true, false);
        TeacherScoreboard board = new TeacherScoreboard(new Scorer(Sandbox.create(SandboxSetup.defaults(work))));
        Query math = eval(Query.of("m1", TaskKind.MATH, "2+2?", null, null, "lab", "4"));
        Query mcq = eval(Query.of("c1", TaskKind.MCQ, "pick", List.of("x", "y"), null, "lab", "B"));
        Query code = eval(Query.of("p1", TaskKind.CODE, "inc", null, List.of("assert inc(1) == 2"), "lab", null));
        Query unlabelled = eval(Query.of("u1", TaskKind.MATH, "3+3?", null, null, "user", null));
        Query training = Query.of("t1", TaskKind.MATH, "5+5?", null, null, "lab", "10");

        assertTrue(board.record(output("gpt", math, TeacherStatus.OK, "4", 30)));
        assertFalse(board.record(output("gpt", math, TeacherStatus.OK, "4", 30)), "redelivered: not scored again");
        assertFalse(board.record(output("gpt", training, TeacherStatus.OK, "10", 9)), "a distillation query");
        assertTrue(board.record(output("gpt", mcq, TeacherStatus.OK, "A", 10)));
        assertTrue(board.record(output("gpt", code, TeacherStatus.OK, "def inc(x):\n    return x + 1", 20)));
        assertTrue(board.record(output("mistral", math, TeacherStatus.UNPARSEABLE, null, 50)));
        assertFalse(board.record(output("mistral", mcq, TeacherStatus.FAILED, null, 0)));
        assertFalse(board.record(output("gpt", unlabelled, TeacherStatus.OK, "6", 5)));

        Map<TaskKind, TaskScore> gpt = board.scores().get("gpt");
        assertEquals(1.0, gpt.get(TaskKind.MATH).value());
        assertEquals(1, gpt.get(TaskKind.MATH).n());
        assertEquals(30.0, gpt.get(TaskKind.MATH).avgOutputTokens());
        assertEquals(0.0, gpt.get(TaskKind.MCQ).value());
        assertEquals(1.0, gpt.get(TaskKind.CODE).value());
        assertEquals(0.0, board.scores().get("mistral").get(TaskKind.MATH).value());
        assertFalse(board.scores().get("mistral").containsKey(TaskKind.MCQ));
    }

    @Test
    void restoredResultsAreNotScoredAgain() throws IOException {
        Path work = Files.createTempDirectory("teachers-");
        work.toFile().setExecutable(true, false);
        Sandbox sandbox = Sandbox.create(SandboxSetup.defaults(work));
        TeacherScoreboard board = new TeacherScoreboard(new Scorer(sandbox));
        Query code = eval(Query.of("p1", TaskKind.CODE, "inc", null, List.of("assert inc(1) == 2"), "lab", null));
        board.restore("gpt", TaskKind.CODE, List.of(new ExampleResult("p1", true, 20, "def inc(x): ...", null)));
        long before = sandbox.samplesRun();
        assertFalse(board.record(output("gpt", code, TeacherStatus.OK, "def inc(x):\n    return x + 1", 20)));
        assertEquals(before, sandbox.samplesRun(), "its code did not run again");
        assertEquals(0, board.version(), "nothing new to publish");
        assertEquals(1.0, board.scores().get("gpt").get(TaskKind.CODE).value());
    }

    private static Query eval(Query query) {
        return query.withPurpose(QueryPurpose.EVAL);
    }
}
