package io.twt.lm.stage;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * {@code stage-job.json}: one training stage as trainer-service hands it to an engine ({@link StageRun} behind
 * {@code lm train --job}, or the TRL job in trainer-service/job/). Paths are absolute as the trainer sees the model
 * store; a job that mounts the store at the same path sees the same files. The engine writes the weights and, last,
 * {@code result.json} ({@link StageResult}) into {@code outputDir}.
 *
 * @param servedName      the name the stage's adapter is served under ({@code <recipe>-r<round>-s<stage>})
 * @param previousAdapter LoRA: the previous stage's adapter, trained further with fresh optimizer state; null at stage 1
 * @param previousModel   full fine-tuning: the previous stage's full checkpoint to start from; null at stage 1
 * @param lora            the adapter to train; null trains every weight
 * @param checkpointDir   where the engine keeps checkpoints, so a job started again resumes from the newest
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StageSpec(int schemaVersion, int round, int stage, String recipe, String servedName, BaseModel baseModel,
                        String previousAdapter, String previousModel, Lora lora, Training training, Memory memory,
                        Dataset dataset, String checkpointDir, int checkpointEvery, String outputDir) {

    public static final String FILE = "stage-job.json";
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @param id the hub id adapters name as base_model_name_or_path, and what an engine loads when path is not there */
    public record BaseModel(String path, String id) {
    }

    /** PEFT's LoraConfig: r, lora_alpha, lora_dropout, target_modules, use_rslora. */
    public record Lora(int rank, double alpha, double dropout, List<String> targetModules, boolean useRslora) {
        static Lora of(LoraConfig config) {
            return config == null ? null
                    : new Lora(config.rank(), config.alpha(), config.dropout(), config.targetModules(), config.useRslora());
        }

        LoraConfig toConfig() {
            return new LoraConfig(rank, alpha, dropout, targetModules, useRslora);
        }
    }

    /** The optimiser and schedule of {@link TrainingConfig}: AdamW, linear warm-up, cosine decay to minLrRatio. */
    public record Training(double learningRate, int batchSize, int gradAccumulation, int epochs, double warmupRatio,
                           double minLrRatio, double weightDecay, double maxGradNorm, int maxLength, long seed) {
    }

    /**
     * lm's memory settings; an engine maps what it has: recompute is gradient checkpointing in TRL.
     *
     * @param dtype float32 or float16 storage of the base weights (lm; TRL trains in bf16)
     */
    public record Memory(String dtype, int attentionChunk, boolean recompute) {
    }

    /** @param format messages or prompt-completion, the layouts of {@code ./twt export} */
    public record Dataset(String path, String format, int examples) {
    }

    /** The spec of a stage trained with {@code config} (its checkpoint settings are replaced by the given ones). */
    public static StageSpec of(int round, int stage, String recipe, String servedName, BaseModel baseModel,
                               String previousAdapter, String previousModel, TrainingConfig config, Dataset dataset,
                               Path checkpointDir, int checkpointEvery, Path outputDir) {
        Training training = new Training(config.learningRate(), config.batchSize(), config.gradAccumulation(), config.epochs(),
                config.warmupRatio(), config.minLrRatio(), config.weightDecay(), config.maxGradNorm(), config.maxLength(),
                config.seed());
        Memory memory = new Memory(config.dtype().name().toLowerCase(Locale.ROOT), config.attentionChunk(), config.recompute());
        return new StageSpec(SCHEMA_VERSION, round, stage, recipe, servedName, baseModel, previousAdapter, previousModel,
                Lora.of(config.lora()), training, memory, dataset, checkpointDir.toString(), checkpointEvery, outputDir.toString());
    }

    public boolean fullFineTuning() {
        return lora == null;
    }

    /** The lm settings of this stage, resuming from the newest checkpoint in checkpointDir. */
    public TrainingConfig trainingConfig() {
        TrainingConfig.Builder builder = TrainingConfig.builder();
        if (lora == null) {
            builder.fullFineTuning();
        } else {
            builder.lora(lora.toConfig());
        }
        return builder.learningRate(training.learningRate()).batchSize(training.batchSize())
                .gradAccumulation(training.gradAccumulation()).epochs(training.epochs()).warmupRatio(training.warmupRatio())
                .minLrRatio(training.minLrRatio()).weightDecay(training.weightDecay()).maxGradNorm(training.maxGradNorm())
                .maxLength(training.maxLength()).seed(training.seed())
                .dtype(DataType.valueOf(memory.dtype().toUpperCase(Locale.ROOT))).attentionChunk(memory.attentionChunk())
                .recompute(memory.recompute())
                .checkpointDir(Path.of(checkpointDir)).checkpointEvery(checkpointEvery).resume(true).build();
    }

    /** Reads a stage-job.json, or the one in a stage directory. */
    public static StageSpec read(Path fileOrStageDir) {
        Path file = Files.isDirectory(fileOrStageDir) ? fileOrStageDir.resolve(FILE) : fileOrStageDir;
        try {
            StageSpec spec = JSON.readValue(file.toFile(), StageSpec.class);
            if (spec.schemaVersion() != SCHEMA_VERSION) {
                throw new IllegalArgumentException(file + ": schemaVersion " + spec.schemaVersion() + ", this lm reads "
                        + SCHEMA_VERSION);
            }
            return spec;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stage job " + file, e);
        }
    }

    /** Writes it whole or not at all (a temporary file moved over the old one). */
    public void write(Path file) {
        writeJson(file, this);
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, JSON.writeValueAsBytes(value));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static <T> T readJson(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
