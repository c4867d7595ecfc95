package io.twt.eval.domain.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.DatasetReader;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Known right and wrong answers for every task kind, scored with the real sandbox. */
@Timeout(120)
class ScorerTest {

    private static Evaluator evaluator;

    @BeforeAll
    static void createEvaluator() throws IOException {
        Path work = Files.createTempDirectory("scorer-test-");
        work.toFile().setExecutable(true, false);
        Sandbox sandbox = Sandbox.create(SandboxSetup.defaults(work));
        evaluator = new Evaluator(new Scorer(sandbox), 2);
    }

    private static List<EvalItem> read(String name) {
        try {
            return DatasetReader.read(Path.of(ScorerTest.class.getResource("/datasets/" + name).toURI()), null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mbppReferenceSolutionsPassEveryTask() {
        List<EvalItem> items = read("mbpp.jsonl");
        List<ModelOutput> references = items.stream()
                .map(item -> new ModelOutput("#### " + item.query().gold(), 40)).toList();
        TaskScore score = evaluator.evaluate(items, references).get(TaskKind.CODE);
        assertEquals("pass@1", score.metric());
        assertEquals(1.0, score.value(), score.examples().toString());
        assertEquals(items.size(), score.n());
    }

    @Test
    void referenceSolutionsStillPassOnABusyMachine() throws Exception {
        // twice as many spinning threads as cores: each sample gets a fraction of a core, its CPU time stays the same
        int spinners = 2 * Runtime.getRuntime().availableProcessors();
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> threads = java.util.stream.IntStream.range(0, spinners).mapToObj(i -> Thread.ofPlatform().start(() -> {
            long x = 0;
            while (busy.get()) {
                x += System.nanoTime() % 7;
            }
        })).toList();
        try {
            List<EvalItem> items = new java.util.ArrayList<>(read("mbpp.jsonl"));
            items.addAll(read("mbpp-sanitized.json"));
            List<ModelOutput> references = items.stream().map(item -> new ModelOutput(item.query().gold(), 40)).toList();
            TaskScore score = evaluator.evaluate(items, references).get(TaskKind.CODE);
            assertEquals(1.0, score.value(), score.examples().toString());
        } finally {
            busy.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    @Test
    void emptyFunctionsPassNothing() {
        List<EvalItem> items = read("mbpp.jsonl");
        List<ModelOutput> empty = items.stream().map(item -> {
            String signature = item.query().gold().lines().filter(line -> line.startsWith("def ")).findFirst().orElseThrow();
            return new ModelOutput("#### " + signature + "\n    pass\n", 10);
        }).toList();
        TaskScore score = evaluator.evaluate(items, empty).get(TaskKind.CODE);
        assertEquals(0.0, score.value());
        assertTrue(score.examples().get(0).error().contains("AssertionError"), score.examples().get(0).error());
    }

    @Test
    void outputWithoutProgramFails() {
        EvalItem item = read("mbpp.jsonl").get(0);
        ExampleResult result = evaluator.score(List.of(item), List.of(new ModelOutput(" ", 1))).get(0);
        assertFalse(result.correct());
        assertEquals("no program in the output", result.error());
    }

    @Test
    void multipleChoiceRightAndWrongLetters() {
        List<EvalItem> items = read("csqa.jsonl");
        List<ModelOutput> outputs = List.of(new ModelOutput("They would ignore it.\n#### A", 7),
                new ModelOutput("#### C", 3));
        TaskScore score = evaluator.evaluate(items, outputs).get(TaskKind.MCQ);
        assertEquals("accuracy", score.metric());
        assertEquals(0.5, score.value());
        assertEquals(5.0, score.avgOutputTokens());
        assertEquals("chose C", score.examples().get(1).error());
    }

    @Test
    void mathRightAndWrongFinalNumbers() {
        List<EvalItem> items = read("gsm8k.jsonl");
        List<ModelOutput> outputs = List.of(new ModelOutput("48 + 24 = 72\n#### 72", 12),
                new ModelOutput("#### 12", 3), new ModelOutput("The answer is 3600.", 5));
        TaskScore score = evaluator.evaluate(items, outputs).get(TaskKind.MATH);
        assertEquals(2.0 / 3, score.value(), 1e-9);
        assertFalse(score.examples().get(1).correct());
        assertEquals("12", score.examples().get(1).answer());
    }

    @Test
    void metaMathLatexAndNumericAnswers() {
        List<EvalItem> items = read("metamath.json");
        List<ModelOutput> outputs = List.of(new ModelOutput("The answer is: \\sqrt{5}", 8), new ModelOutput("#### 752", 4));
        assertEquals(1.0, evaluator.evaluate(items, outputs).get(TaskKind.MATH).value());
    }

    @Test
    void tokenDistributionCountsEveryExampleOnce() {
        List<ExampleResult> examples = List.of(new ExampleResult("a", true, 3, null, null),
                new ExampleResult("b", true, 8, null, null), new ExampleResult("c", false, 9, null, null),
                new ExampleResult("d", false, 5000, null, null));
        Map<String, Integer> buckets = TaskScore.of(TaskKind.MATH, examples).outputTokenDistribution();
        assertEquals(2, buckets.get("8"));
        assertEquals(1, buckets.get("16"));
        assertEquals(1, buckets.get("more"));
        assertEquals(4, buckets.values().stream().mapToInt(Integer::intValue).sum());
    }
}
