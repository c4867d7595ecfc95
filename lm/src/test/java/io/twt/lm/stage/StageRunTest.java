package io.twt.lm.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.SftExample;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage trained from its stage-job.json: the settings survive the file, the output is a PEFT adapter and result.json. */
class StageRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static TrainingConfig config() {
        return TrainingConfig.builder().lora(new LoraConfig(4, 8, 0.1, List.of("q_proj", "v_proj"), true)).learningRate(1e-2)
                .batchSize(4).gradAccumulation(2).epochs(3).warmupRatio(0.1).minLrRatio(0.2).weightDecay(0.01).maxGradNorm(0.5)
                .maxLength(24).seed(3).attentionChunk(8).recompute(true).build();
    }

    private StageSpec spec(Path data, int examples, String outputName) {
        return StageSpec.of(1, 2, "twt", "twt-r1-s2", new StageSpec.BaseModel(tmp.resolve("base").toString(), "owner/tiny"),
                null, null, config(), new StageSpec.Dataset(data.toString(), "prompt-completion", examples),
                tmp.resolve(outputName + "-checkpoints"), 5, tmp.resolve(outputName));
    }

    @Test
    void everySettingSurvivesTheStageJobFile() {
        StageSpec spec = spec(tmp.resolve("train.jsonl"), 16, "out");
        spec.write(tmp.resolve("stage").resolve(StageSpec.FILE));
        StageSpec read = StageSpec.read(tmp.resolve("stage"));
        assertEquals(spec, read);
        TrainingConfig expected = config().toBuilder().checkpointDir(tmp.resolve("out-checkpoints")).checkpointEvery(5)
                .resume(true).build();
        assertEquals(expected, read.trainingConfig());
    }

    @Test
    void stageFromItsFileWritesTheAdapterAndResultAsTheInMemoryRunDoes() throws Exception {
        List<SftExample> examples = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<String> corpus = new ArrayList<>();
        for (String item : List.of("apple", "pear", "plum", "fig", "cat", "dog", "cow", "hen")) {
            String prompt = "Item: " + item + "\nKind:";
            String completion = List.of("cat", "dog", "cow", "hen").contains(item) ? " animal" : " fruit";
            examples.add(new SftExample(prompt, completion));
            // the export's messages layout: the user's content is the prompt, the assistant's the completion
            lines.add(JSON.createObjectNode().set("messages", JSON.createArrayNode()
                    .add(JSON.createObjectNode().put("role", "user").put("content", prompt))
                    .add(JSON.createObjectNode().put("role", "assistant").put("content", completion))).toString());
            corpus.add(prompt + completion);
        }
        Path data = tmp.resolve("dataset.jsonl");
        Files.write(data, lines);
        ModelFactory.createRandom(tmp.resolve("base"), new ModelShape(300, 32, 64, 2, 2, 1, 64), corpus, 1L);

        StageResult fromFile = StageRun.run(spec(data, examples.size(), "from-file"), TrainingListener.none());
        StageResult inMemory = StageRun.run(spec(data, examples.size(), "in-memory"), examples, TrainingListener.none());

        assertTrue(fromFile.trainTokens() > 0 && fromFile.meanLoss() > 0, fromFile.toString());
        assertEquals(inMemory.trainTokens(), fromFile.trainTokens());
        assertEquals(inMemory.meanLoss(), fromFile.meanLoss());
        assertEquals(inMemory.maxCompletionTokens(), fromFile.maxCompletionTokens());
        assertEquals(0, fromFile.resumedFrom());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("in-memory/adapter_model.safetensors")),
                Files.readAllBytes(tmp.resolve("from-file/adapter_model.safetensors")));
        JsonNode adapterConfig = JSON.readTree(tmp.resolve("from-file/adapter_config.json").toFile());
        assertEquals("owner/tiny", adapterConfig.get("base_model_name_or_path").asText());
        assertTrue(adapterConfig.get("use_rslora").asBoolean());
        assertEquals(fromFile, StageResult.readIfPresent(tmp.resolve("from-file")).orElseThrow());
    }
}
