package io.twt.eval.domain.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The constant-answer row, scored with the real scorer and sandbox. */
@Timeout(120)
class ChanceBaselineTest {

    private static final List<String> CHOICES = List.of("red", "green", "blue");

    private static Evaluator evaluator;

    @BeforeAll
    static void createEvaluator() throws IOException {
        Path work = Files.createTempDirectory("chance-test-");
        work.toFile().setExecutable(true, false);
        evaluator = new Evaluator(new Scorer(Sandbox.create(SandboxSetup.defaults(work))), 2);
    }

    private static EvalItem mcq(String id, String gold) {
        return EvalItem.of(Query.of(id, TaskKind.MCQ, "Which colour?", CHOICES, null, "test", gold));
    }

    private static EvalItem math(String id, String gold) {
        return EvalItem.of(Query.of(id, TaskKind.MATH, "How many?", null, null, "test", gold));
    }

    private static EvalItem code(String id, String function, int result) {
        return EvalItem.of(Query.of(id, TaskKind.CODE, "Return " + result + ".", null,
                List.of("assert " + function + "() == " + result), "test", "def " + function + "():\n    return " + result));
    }

    @Test
    void theMostFrequentGoldLetterIsAnsweredEvenWhereTheGoldIsAChoicesText() {
        // "blue" is C's text: three C's against two B's
        List<EvalItem> items = List.of(mcq("q1", "B"), mcq("q2", "C"), mcq("q3", "blue"), mcq("q4", "b"), mcq("q5", "c"));
        assertEquals(Map.of(TaskKind.MCQ, "C"), ChanceBaseline.constantAnswers(Map.of(TaskKind.MCQ, items)));
        TaskScore score = ChanceBaseline.score(Map.of(TaskKind.MCQ, items), evaluator, String::length).get(TaskKind.MCQ);
        assertEquals(0.6, score.value(), 1e-9);
        assertEquals("#### C".length(), score.avgOutputTokens(), "the constant answer's tokens, as the tokenizer counts them");
    }

    @Test
    void numbersCountAsOneAnswerWhateverTheirSpelling() {
        List<EvalItem> items = List.of(math("m1", "7"), math("m2", "1,000"), math("m3", "1000.0"), math("m4", "7"),
                math("m5", "1000"));
        assertEquals("1000", ChanceBaseline.constantAnswers(Map.of(TaskKind.MATH, items)).get(TaskKind.MATH));
        assertEquals(0.6, ChanceBaseline.score(Map.of(TaskKind.MATH, items), evaluator, text -> 0)
                .get(TaskKind.MATH).value(), 1e-9);
    }

    @Test
    void amongEquallyFrequentAnswersTheFirstIsTaken() {
        List<EvalItem> items = List.of(math("m1", "3"), math("m2", "5"), math("m3", "5"), math("m4", "3"));
        assertEquals("3", ChanceBaseline.constantAnswers(Map.of(TaskKind.MATH, items)).get(TaskKind.MATH));
    }

    @Test
    void theConstantReferenceProgramPassesOnlyTheTasksItSolves() {
        // two tasks share f() == 1; the third wants g(); the constant is the most frequent program
        List<EvalItem> items = List.of(code("c1", "f", 1), code("c2", "g", 2), code("c3", "f", 1));
        TaskScore score = ChanceBaseline.score(Map.of(TaskKind.CODE, items), evaluator, text -> 0).get(TaskKind.CODE);
        assertEquals("pass@1", score.metric());
        assertEquals(2.0 / 3, score.value(), 1e-9, score.examples().toString());
    }

    @Test
    void aTaskKindWithoutGoldAnswersHasNoChanceRow() {
        List<EvalItem> items = List.of(EvalItem.of(Query.of("c1", TaskKind.CODE, "Return 1.", null,
                List.of("assert f() == 1"), "test", null)));
        assertEquals(Map.of(), ChanceBaseline.score(Map.of(TaskKind.CODE, items), evaluator, text -> 0));
    }
}
