package io.twt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.GenerationCap;
import io.twt.common.ModelVersion;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.eval.domain.model.LmModelLoader;
import io.twt.eval.domain.model.VersionEvaluator;
import io.twt.eval.outgoing.EndpointModelLoader;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model version (a LoRA stage on a base student) and the vanilla student evaluated through {@code lm serve}, run as
 * its own process as {@code ./twt lm serve} runs it, give the same scores, per example, as evaluation in this JVM.
 */
class ServedEvaluationIT {

    @Test
    @Timeout(300)
    void aVersionEvaluatedThroughLmServeGivesTheInProcessReport(@TempDir Path tmp) throws Exception {
        Path base = labStudent(tmp.resolve("base"));
        Path adapter = tmp.resolve("round-1/stage-1/adapter");
        List<SftExample> examples = new ArrayList<>();
        for (TaskKind kind : List.of(TaskKind.MATH, TaskKind.MCQ)) {
            for (Query query : LabTasks.generate(kind, Split.TRAIN, 24, 5)) {
                examples.add(new SftExample(StudentPrompt.prompt(query), StudentPrompt.completion(null, query.gold())));
            }
        }
        try (StudentModel model = StudentModel.load(base, null)) {
            new SftTrainer(model, TrainingConfig.builder().lora(new LoraConfig(8, 16, 0, List.of("q_proj", "v_proj", "down_proj")))
                    .learningRate(1e-2).batchSize(8).epochs(2).maxLength(256).seed(3).build()).train(examples, p -> { });
            model.saveAdapter(adapter);
        }
        ModelVersion version = new ModelVersion(SchemaVersion.CURRENT, 1, 1, "twt", base.toString(), adapter.toUri().toString(),
                examples.size(), 0, 0, 0, 6);

        Map<TaskKind, List<EvalItem>> evalSets = new EnumMap<>(TaskKind.class);
        for (TaskKind kind : List.of(TaskKind.MATH, TaskKind.MCQ)) {
            evalSets.put(kind, LabTasks.generate(kind, Split.EVAL, 12, 7).stream().map(EvalItem::of).toList());
        }
        Files.createDirectories(tmp.resolve("sandbox"));
        Evaluator evaluator = new Evaluator(new Scorer(Sandbox.create(SandboxSetup.defaults(tmp.resolve("sandbox")))), 1);
        GenerationCap cap = new GenerationCap(64, 2.0, 16);

        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.twt.lm.cli.LmCli", "serve", "--model", base.toString(),
                "--port", "0", "--threads", "1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String url = readyUrl(server);
            VersionEvaluator inProcess = new VersionEvaluator(evalSets, new LmModelLoader(), evaluator, 4, cap);
            VersionEvaluator served = new VersionEvaluator(evalSets, new EndpointModelLoader(url, Duration.ofMinutes(2), 4),
                    evaluator, 4, cap);

            Map<TaskKind, TaskScore> expected = inProcess.evaluate(base, adapter, version.servedName(), version.maxCompletionTokens());
            Map<TaskKind, TaskScore> actual = served.evaluate(base, adapter, version.servedName(), version.maxCompletionTokens());
            assertEquals(expected, actual);
            assertTrue(expected.values().stream().allMatch(score -> score.avgOutputTokens() > 0), expected.toString());
            expected.values().forEach(score -> System.out.println("served = in-process: " + score.summaryLine()));

            assertEquals(inProcess.evaluateVanilla(base, OptionalInt.empty()), served.evaluateVanilla(base, OptionalInt.empty()));
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "lm serve ends on SIGTERM");
        }
    }

    /** The first line lm serve prints: {"url": ...} once it listens. */
    private static String readyUrl(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(120, TimeUnit.SECONDS);
        assertTrue(line != null && line.contains("\"url\""), "lm serve printed " + line);
        return io.twt.common.Json.MAPPER.readTree(line).get("url").asText();
    }

    private static Path labStudent(Path dir) {
        List<String> corpus = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            for (Query query : LabTasks.generate(kind, Split.TRAIN, 60, 3)) {
                corpus.add(StudentPrompt.prompt(query) + StudentPrompt.completion(null, query.gold()));
            }
        }
        return ModelFactory.createRandom(dir, ModelShape.tiny(), corpus, 42L);
    }
}
