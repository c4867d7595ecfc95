package io.twt.eval.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.GenerationCap;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.eval.domain.scoring.Scorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generation limit each batch gets; a student that counts one token per character records what it was given. */
class VersionEvaluatorTest {

    private static Evaluator evaluator;

    /** Answers every prompt with nothing and records each batch's limit. */
    static final class RecordingModel implements EvaluatedModel {
        final List<Integer> limits = new ArrayList<>();
        final int context;

        RecordingModel(int context) {
            this.context = context;
        }

        @Override
        public List<ModelOutput> generate(List<String> prompts, int maxNewTokens) {
            limits.add(maxNewTokens);
            return prompts.stream().map(p -> new ModelOutput("", 0)).toList();
        }

        @Override
        public int countTokens(String text) {
            return text.length();
        }

        @Override
        public int contextTokens() {
            return context;
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void createEvaluator() throws IOException {
        Path work = Files.createTempDirectory("version-evaluator-test-");
        work.toFile().setExecutable(true, false);
        evaluator = new Evaluator(new Scorer(Sandbox.create(SandboxSetup.defaults(work))), 1);
    }

    private static Map<TaskKind, List<EvalItem>> mathSet(String... golds) {
        List<EvalItem> items = new ArrayList<>();
        for (int i = 0; i < golds.length; i++) {
            items.add(EvalItem.of(Query.of("m" + i, TaskKind.MATH, "What is it?", null, null, "test", golds[i])));
        }
        return Map.of(TaskKind.MATH, items);
    }

    private static VersionEvaluator evaluatorFor(RecordingModel student, int maxNewTokens, Map<TaskKind, List<EvalItem>> set) {
        return new VersionEvaluator(set, (base, adapter, name) -> student, evaluator, 8, new GenerationCap(maxNewTokens, 2.0, 16));
    }

    @Test
    void aVersionIsCappedByTwiceItsLongestTrainingCompletionPlusTheMargin() {
        RecordingModel student = new RecordingModel(4096);
        evaluatorFor(student, 2048, mathSet("4", "5")).evaluate(Path.of("base"), null, null, 40);
        assertEquals(List.of(2 * 40 + 16), student.limits);
    }

    @Test
    void aVersionWithoutItsCompletionLengthIsCappedByTheSettingAndTheContext() {
        RecordingModel student = new RecordingModel(4096);
        evaluatorFor(student, 2048, mathSet("4")).evaluate(Path.of("base"), null, null, null);
        assertEquals(List.of(2048), student.limits);
        RecordingModel small = new RecordingModel(100);
        evaluatorFor(small, 2048, mathSet("4")).evaluate(Path.of("base"), null, null, null);
        // the prompt "Problem: What is it?\nSolution:\n" is 31 characters, one token each here
        assertEquals(List.of(100 - 31), small.limits);
    }

    @Test
    void theVanillaStudentIsCappedByTheLongestGoldAnswer() {
        RecordingModel student = new RecordingModel(4096);
        evaluatorFor(student, 2048, mathSet("4", "12345")).evaluateVanilla(Path.of("base"), OptionalInt.empty());
        // "#### 12345" is 10 tokens here
        assertEquals(List.of(2 * 10 + 16), student.limits);
    }

    @Test
    void aConfiguredVanillaLimitReplacesTheGoldCap() {
        RecordingModel student = new RecordingModel(4096);
        evaluatorFor(student, 2048, mathSet("4")).evaluateVanilla(Path.of("base"), OptionalInt.of(512));
        assertEquals(List.of(512), student.limits);
    }
}
