package io.twt.trainer.student;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Json;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.TrainingConfig;
import io.twt.trainer.domain.DatasetExport;
import io.twt.trainer.domain.StageRecipe;
import io.twt.trainer.domain.StageTarget;
import io.twt.trainer.domain.TrainableStudent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage directory the trainer writes, read by the TRL job script (trainer-service/job/train_stage.py) with python3:
 * the settings reach PEFT's and TRL's names with their values, and the examples arrive as the trainer built them.
 */
class TrlJobContractTest {

    private static final Path JOB = Path.of(System.getProperty("user.dir")).resolve("job");
    private static final String READ = """
            import json, sys, train_stage
            spec = train_stage.load_spec(train_stage.spec_path([sys.argv[1]]))
            examples = train_stage.load_examples(spec["dataset"]["path"])
            print(json.dumps({"lora": train_stage.lora_kwargs(spec), "sft": train_stage.sft_kwargs(spec, 2),
                              "records": train_stage.trl_records(examples, False), "previous": spec["previousAdapter"],
                              "base": spec["baseModel"], "output": spec["outputDir"]}))
            """;

    @TempDir
    Path store;

    @Test
    void jobScriptReadsTheStageAsTheTrainerWroteIt() throws Exception {
        Files.createDirectories(store.resolve("base"));
        Files.writeString(store.resolve("base/config.json"), "{\"_name_or_path\": \"Qwen/Qwen2.5-0.5B\"}");
        TrainingConfig training = TrainingConfig.builder().lora(new LoraConfig(16, 32, 0.1, List.of("q_proj", "o_proj"), true))
                .learningRate(2e-4).batchSize(8).gradAccumulation(4).epochs(2).maxLength(1024).seed(7).recompute(true).build();
        StageContract contract = new StageContract(training, 50);
        List<StageRecipe.Example> examples = List.of(new StageRecipe.Example("Problem: 2+2?\nSolution:\n", "four\n#### 4"),
                new StageRecipe.Example("Question: Which is red?\nA. sky\nB. apple\nSolution:\n", "#### B"));
        TrainableStudent.StageJob job = new TrainableStudent.StageJob(1, 2, StageTarget.COMPRESSED_RATIONALE, "twt", store.resolve("base"),
                new TrainableStudent.Weights(store.resolve("rounds/round-1/stage-1/adapter"), false), examples,
                store.resolve("rounds/round-1/stage-2"));
        contract.write(job, DatasetExport.Format.MESSAGES);

        JsonNode read = Json.MAPPER.readTree(python(job.workDir()));

        assertEquals(Json.MAPPER.readTree("""
                {"r": 16, "lora_alpha": 32.0, "lora_dropout": 0.1, "target_modules": ["q_proj", "o_proj"],
                 "use_rslora": true, "bias": "none", "task_type": "CAUSAL_LM"}"""), read.get("lora"));
        JsonNode sft = read.get("sft");
        assertEquals(4, sft.get("per_device_train_batch_size").asInt(), "8 examples a pass over 2 processes");
        assertEquals(4, sft.get("gradient_accumulation_steps").asInt());
        assertEquals(2e-4, sft.get("learning_rate").asDouble());
        assertEquals(2, sft.get("num_train_epochs").asInt());
        assertEquals(1024, sft.get("max_length").asInt());
        assertEquals(7, sft.get("seed").asInt());
        assertEquals(50, sft.get("save_steps").asInt());
        assertEquals(true, sft.get("gradient_checkpointing").asBoolean());
        assertEquals(job.workDir().resolve("checkpoints").toString(), sft.get("output_dir").asText());
        assertEquals(store.resolve("rounds/round-1/stage-1/adapter").toString(), read.get("previous").asText());
        assertEquals("Qwen/Qwen2.5-0.5B", read.at("/base/id").asText());
        assertEquals(job.workDir().resolve("adapter.partial").toString(), read.get("output").asText());
        for (int i = 0; i < examples.size(); i++) {
            assertEquals(examples.get(i).prompt(), read.at("/records/" + i + "/prompt").asText());
            assertEquals(examples.get(i).completion(), read.at("/records/" + i + "/completion").asText());
        }
    }

    private static String python(Path stageDir) throws Exception {
        Process process = new ProcessBuilder("python3", "-c", READ, stageDir.toString()).directory(JOB.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
