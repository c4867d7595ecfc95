package io.twt.trainer.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.DistillSample;
import io.twt.common.GenerationCap;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.lab.student.LabBase;
import io.twt.lab.student.LabBaseSpec;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.MultiLoraModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.TrainingListener;
import io.twt.lm.serve.CompletionServer;
import io.twt.trainer.domain.DistillRow;
import io.twt.trainer.domain.StageRecipe;
import io.twt.trainer.domain.StageTrainer;
import io.twt.trainer.domain.StageTarget;
import io.twt.trainer.domain.TrainableStudent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lm student as the rounds drive it: the lab base made once, stage 1 from it, stage 2 from stage 1's weights. */
class LmTrainableStudentTest {

    @TempDir
    Path store;

    private static List<DistillRow> rows() {
        List<DistillRow> rows = new ArrayList<>();
        for (int a = 1; a <= 8; a++) {
            Query query = Query.of("q" + a, TaskKind.MATH, "What is " + a + " plus 2?", null, null, "test", null);
            rows.add(new DistillRow(query, new DistillSample("t", a + " plus 2 makes " + (a + 2) + ".", String.valueOf(a + 2), 0.97)));
        }
        return rows;
    }

    /** Stages trained in this JVM, checkpoints every 2 steps. */
    private static StageTrainer lmStages(TrainingConfig config) {
        return new LmStageTrainer(new StageContract(config, 2), TrainingListener.none());
    }

    private Path labBase() {
        return LabBase.ensure(store.resolve("cache"), LabBaseSpec.smoke(), TrainingListener.none());
    }

    @Test
    void stagesHandOverFullWeightsAndDraftsComeOutOfTheTrainedStudent() {
        TrainingConfig config = TrainingConfig.builder().fullFineTuning().learningRate(3e-3).batchSize(4).epochs(2)
                .maxLength(128).build();
        LmTrainableStudent student = new LmTrainableStudent(null, this::labBase, lmStages(config), new GenerationCap(16, 2.0, 16), 4, null);
        List<DistillRow> rows = rows();
        Path base = student.baseModel(rows);
        assertTrue(Files.exists(base.resolve("tokenizer.json")));
        assertEquals(base, student.baseModel(rows), "made once");

        StageRecipe hard = StageRecipe.hard();
        TrainableStudent.TrainedStage one = student.train(new TrainableStudent.StageJob(1, 1, StageTarget.FULL_RATIONALE, "twt", base, null,
                hard.examples(hard.stage(1), rows, 1, Map.of()), store.resolve("stage-1")));
        assertTrue(one.weights().full());
        assertTrue(Files.exists(one.weights().dir().resolve("model.safetensors")));
        assertTrue(one.trainTokens() > 0);

        TrainableStudent.TrainedStage two = student.train(new TrainableStudent.StageJob(1, 2, StageTarget.COMPRESSED_RATIONALE, "twt", base, one.weights(),
                hard.examples(hard.stage(3), rows, 1, Map.of()), store.resolve("stage-2")));
        assertTrue(Files.exists(two.weights().dir().resolve("config.json")));
        // stage 3 trains on the answer alone, so its longest completion is shorter than stage 1's with rationale
        assertTrue(two.maxCompletionTokens() > 0 && two.maxCompletionTokens() < one.maxCompletionTokens(),
                one.maxCompletionTokens() + " then " + two.maxCompletionTokens());

        List<TrainableStudent.Draft> drafts = student.generate(base, "twt-r1-s2", two.weights(), List.of("Problem: What is 1 plus 2?\nSolution:\n",
                "Problem: What is 3 plus 2?\nSolution:\n"), null);
        assertEquals(2, drafts.size());
        // the pretrained lab base may stop at once (0 tokens); it may never run past the cap
        assertTrue(drafts.get(0).tokens() <= 16, drafts.get(0).tokens() + " tokens: " + drafts.get(0).text());
    }

    @Test
    void draftsStopAtTheCapThatTheStagesCompletionsGive() {
        List<DistillRow> rows = rows();
        TrainingConfig config = TrainingConfig.builder().fullFineTuning().learningRate(3e-3).batchSize(4).epochs(1)
                .maxLength(128).build();
        // factor 1, margin 0: a draft may be as long as the longest completion, here 3 tokens, and no longer
        LmTrainableStudent student = new LmTrainableStudent(null, this::labBase, lmStages(config), new GenerationCap(256, 1.0, 0), 4, null);
        Path base = student.baseModel(rows);
        List<TrainableStudent.Draft> drafts = student.generate(base, "twt-r1-s2", new TrainableStudent.Weights(base, true),
                List.of("Problem: What is 1 plus 2?\nSolution:\n"), 3);
        assertTrue(drafts.get(0).tokens() <= 3, drafts.get(0).tokens() + " tokens");
    }

    @Test
    void loraStagesHandOverThePeftAdapterOnTheSameBase() throws Exception {
        List<DistillRow> rows = rows();
        TrainingConfig full = TrainingConfig.builder().fullFineTuning().learningRate(3e-3).batchSize(4).epochs(1).maxLength(128).build();
        Path base = new LmTrainableStudent(null, this::labBase, lmStages(full), new GenerationCap(16, 2.0, 16), 4, null).baseModel(rows);
        TrainingConfig lora = TrainingConfig.builder().lora(new LoraConfig(4, 8, 0.0, List.of("q_proj", "v_proj")))
                .learningRate(1e-3).batchSize(4).epochs(1).maxLength(128).build();
        LmTrainableStudent student = new LmTrainableStudent(base, this::labBase, lmStages(lora), new GenerationCap(16, 2.0, 16), 4, null);
        assertEquals(base, student.baseModel(rows), "a configured base model is used as it is");

        StageRecipe hard = StageRecipe.hard();
        TrainableStudent.TrainedStage one = student.train(new TrainableStudent.StageJob(1, 1, StageTarget.FULL_RATIONALE, "twt", base, null,
                hard.examples(hard.stage(1), rows, 1, Map.of()), store.resolve("lora-stage-1")));
        assertFalse(one.weights().full());
        assertTrue(Files.exists(one.weights().dir().resolve("adapter_config.json")));
        assertTrue(Files.exists(one.weights().dir().resolve("adapter_model.safetensors")));

        TrainableStudent.TrainedStage two = student.train(new TrainableStudent.StageJob(1, 2, StageTarget.COMPRESSED_RATIONALE, "twt", base, one.weights(),
                hard.examples(hard.stage(3), rows, 1, Map.of()), store.resolve("lora-stage-2")));
        assertTrue(Files.exists(two.weights().dir().resolve("adapter_model.safetensors")));
        List<String> prompts = List.of("Problem: What is 1 plus 2?\nSolution:\n", "Problem: What is 3 plus 2?\nSolution:\n");
        List<TrainableStudent.Draft> inProcess = student.generate(base, "twt-r1-s2", two.weights(), prompts, null);
        assertEquals(2, inProcess.size());

        JsonNode card = Json.MAPPER.readTree(two.weights().dir().resolve("serving.json").toFile());
        assertEquals(base.toString(), card.get("baseModel").asText());
        assertEquals("twt-r1-s2", card.get("servedName").asText());
        assertEquals("Problem: What is 2 plus 3?\nSolution:\n", card.at("/promptFormat/examples/math").asText());
        assertEquals(List.of("\nTask: ", "\nQuestion: ", "\nProblem: "),
                Json.MAPPER.convertValue(card.get("stop"), new TypeReference<List<String>>() { }));
        assertTrue(card.get("vllmServe").asText().contains("--max-lora-rank 8 --lora-modules twt-r1-s2=" + two.weights().dir()),
                card.toString());

        // the same drafts through lm serve: the stage's adapter registered under its served name, tokens from usage
        try (CompletionServer server = CompletionServer.start(MultiLoraModel.load(base), "base", "127.0.0.1", 0, 4)) {
            LmTrainableStudent served = new LmTrainableStudent(base, this::labBase, lmStages(lora), new GenerationCap(16, 2.0, 16), 4, new LmTrainableStudent.DraftEndpoint(server.baseUrl(), Duration.ofMinutes(1)));
            assertEquals(inProcess, served.generate(base, "twt-r1-s2", two.weights(), prompts, null));
        }
    }
}
