package io.twt.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.DatasetReader;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Isolation;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(300)
class EvalCliTest {

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(EvalCliTest.class.getResource("/datasets/" + name).toURI());
    }

    @Test
    void predictionsAreMatchedByIdAndTheirTokensTakenOrCounted(@TempDir Path dir) throws Exception {
        Path predictions = dir.resolve("predictions.jsonl");
        Files.writeString(predictions, """
                {"id": "gsm8k-2", "output": "#### 3,600", "outputTokens": 4}
                {"id": 0, "output": "48 + 24 = 72 #### 72"}
                """);
        List<TaskScore> scores = EvalCli.run(EvalCli.Options.parse(new String[] {
                "--dataset", fixture("gsm8k.jsonl").toString(), "--predictions", predictions.toString()}));
        TaskScore score = scores.get(0);
        assertEquals(TaskKind.MATH, score.task());
        assertEquals(3, score.n());
        assertEquals(2.0 / 3, score.value(), 1e-9, "record 1 has no prediction and counts as wrong");
        assertEquals(List.of(7, 0, 4), score.examples().stream().map(e -> e.outputTokens()).toList(),
                "words when the file gives no token count");
    }

    @Test
    void modelIsEvaluatedOnTheDatasetInTheStudentFormat(@TempDir Path dir) throws Exception {
        List<String> corpus = LabTasks.generate(TaskKind.CODE, Split.TRAIN, 30, 1).stream()
                .map(q -> StudentPrompt.prompt(q) + StudentPrompt.completion(null, q.gold())).toList();
        Path model = ModelFactory.createRandom(dir.resolve("model"), ModelShape.tiny(), corpus, 7L);
        List<TaskScore> scores = EvalCli.run(EvalCli.Options.parse(new String[] {"--dataset",
                fixture("mbpp.jsonl").toString(), "--model", model.toString(), "--limit", "2", "--max-new-tokens", "6"}));
        TaskScore score = scores.get(0);
        assertEquals("pass@1", score.metric());
        assertEquals(List.of("2", "3"), score.examples().stream().map(e -> e.id()).toList());
        assertTrue(score.avgOutputTokens() > 0 && score.avgOutputTokens() <= 6, "tokens: " + score.avgOutputTokens());
        assertFalse(score.examples().get(0).correct(), "an untrained model does not solve MBPP");
    }

    @Test
    void aModelOrPredictionsAreRequired() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> EvalCli.Options.parse(new String[] {"--dataset", "x.jsonl"}));
        assertTrue(error.getMessage().contains("--model"));
        assertThrows(IllegalArgumentException.class, () -> EvalCli.Options.parse(new String[] {"--datasett", "x"}));
    }

    @Test
    void codeIsRefusedWithoutNamespacesUnlessTheUserOptsIn(@TempDir Path dir) throws Exception {
        dir.toFile().setExecutable(true, false); // the sample runs as nobody
        SandboxSetup noNamespaces = SandboxSetup.defaults(dir).withBwrap("/bin/false").withUnshare("/bin/false");
        List<EvalItem> code = DatasetReader.read(fixture("mbpp.jsonl"), null);
        String[] args = {"--dataset", "mbpp.jsonl", "--predictions", "p.jsonl"};
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EvalCli.sandboxFor(code, EvalCli.Options.parse(args), noNamespaces));
        assertTrue(refused.getMessage().startsWith("code execution refused: bubblewrap cannot create namespaces"),
                refused.getMessage());
        String[] optIn = {"--dataset", "mbpp.jsonl", "--allow-unsandboxed", "--predictions", "p.jsonl"};
        Sandbox unsandboxed = EvalCli.sandboxFor(code, EvalCli.Options.parse(optIn), noNamespaces);
        assertEquals(Isolation.LIMITS_ONLY, unsandboxed.isolation());
        assertTrue(unsandboxed.run("assert 1 + 1 == 2\n").passed());
        List<EvalItem> math = DatasetReader.read(fixture("gsm8k.jsonl"), null);
        assertFalse(EvalCli.sandboxFor(math, EvalCli.Options.parse(args), noNamespaces).refusesCode(),
                "no code, nothing to refuse");
    }
}
