package io.twt.trainer.student;

import io.twt.lm.config.TrainingConfig;
import io.twt.lm.io.DirectoryTree;
import io.twt.lm.model.Adapters;
import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageSpec;
import io.twt.trainer.domain.DatasetExport;
import io.twt.trainer.domain.StageRecipe;
import io.twt.trainer.domain.StageTarget;
import io.twt.trainer.domain.TrainableStudent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A stage's directory as every backend uses it: the spec ({@code stage-job.json}) and, for an engine outside this JVM,
 * the dataset in an export layout; the engine writes the weights into {@code adapter.partial} (or {@code model.partial})
 * with {@code result.json} last; the trainer then checks the weights, writes {@code serving.json} beside them and moves
 * the folder to {@code adapter} (or {@code model}), so a name never holds half-written weights.
 */
public final class StageContract {

    static final String DATASET = "dataset.jsonl";

    private final TrainingConfig training;
    private final int answerOnlyEpochs;
    private final int checkpointEvery;

    /**
     * @param training         the stage settings (its checkpoint settings are the stage's own)
     * @param answerOnlyEpochs the epochs of a stage whose completions are the answer alone
     * @param checkpointEvery  optimizer steps between checkpoints in the stage's {@code checkpoints} folder
     */
    public StageContract(TrainingConfig training, int answerOnlyEpochs, int checkpointEvery) {
        if (answerOnlyEpochs < 1) {
            throw new IllegalArgumentException("answer-only epochs must be at least 1, got " + answerOnlyEpochs);
        }
        this.training = training;
        this.answerOnlyEpochs = answerOnlyEpochs;
        this.checkpointEvery = checkpointEvery;
    }

    public StageContract(TrainingConfig training, int checkpointEvery) {
        this(training, training.epochs(), checkpointEvery);
    }

    /** The settings a stage trains with: an answer-only stage's epochs are its own. */
    TrainingConfig training(StageTarget target) {
        return target == StageTarget.ANSWER_ONLY ? training.toBuilder().epochs(answerOnlyEpochs).build() : training;
    }

    public boolean fullWeights() {
        return training.fullFineTuning();
    }

    /** The stage's spec; {@code dataset} says where its examples are for an engine that reads them from a file. */
    StageSpec spec(TrainableStudent.StageJob job, StageSpec.Dataset dataset) {
        boolean full = fullWeights();
        String previous = job.previous() == null ? null : job.previous().dir().toString();
        return StageSpec.of(job.round(), job.stage(), job.recipe(), job.servedName(),
                new StageSpec.BaseModel(job.baseModel().toString(), Adapters.baseModelName(job.baseModel(), null)),
                full ? null : previous, full ? previous : null, training(job.target()), dataset,
                job.workDir().resolve("checkpoints"), checkpointEvery, outputDir(job));
    }

    /** Writes the dataset and stage-job.json for an engine outside this JVM; the same bytes every time for one job. */
    StageSpec write(TrainableStudent.StageJob job, DatasetExport.Format format) {
        Path dataset = job.workDir().resolve(DATASET);
        StringBuilder lines = new StringBuilder();
        for (StageRecipe.Example example : job.examples()) {
            lines.append(DatasetExport.render(example, format)).append('\n');
        }
        writeAtomically(dataset, lines.toString());
        StageSpec spec = spec(job, new StageSpec.Dataset(dataset.toString(), format.wire(), job.examples().size()));
        spec.write(job.workDir().resolve(StageSpec.FILE));
        return spec;
    }

    /** Where the engine writes. */
    Path outputDir(TrainableStudent.StageJob job) {
        return job.workDir().resolve(weightsName() + ".partial");
    }

    Path weightsDir(TrainableStudent.StageJob job) {
        return job.workDir().resolve(weightsName());
    }

    void clearOutput(TrainableStudent.StageJob job) {
        DirectoryTree.delete(outputDir(job));
    }

    /** The stage as an earlier run left it in place: a trainer that died after the move finds it here. */
    Optional<TrainableStudent.TrainedStage> alreadyInPlace(TrainableStudent.StageJob job) {
        Path weights = weightsDir(job);
        return StageResult.readIfPresent(weights).map(result -> trained(weights, result));
    }

    /**
     * Checks that the engine left weights beside its result, writes serving.json and moves them into place.
     *
     * @throws IllegalStateException naming the missing file when the output is not a PEFT adapter (or a checkpoint)
     */
    TrainableStudent.TrainedStage finish(TrainableStudent.StageJob job, StageResult result) {
        Path output = outputDir(job);
        List<String> required = fullWeights() ? List.of("config.json") : List.of("adapter_config.json", "adapter_model.safetensors");
        for (String file : required) {
            if (!Files.isRegularFile(output.resolve(file))) {
                throw new IllegalStateException("stage " + job.stage() + " of round " + job.round() + ": the job wrote "
                        + StageResult.FILE + " but no " + file + " in " + output);
            }
        }
        if (fullWeights() && !Files.exists(output.resolve("model.safetensors"))
                && !Files.exists(output.resolve("model.safetensors.index.json"))) {
            throw new IllegalStateException("stage " + job.stage() + " of round " + job.round()
                    + ": no model.safetensors (or its index) in " + output);
        }
        ServingCard.write(output, job.baseModel(), job.servedName(), fullWeights() ? null : training.lora().rank());
        Path weights = weightsDir(job);
        move(output, weights);
        return trained(weights, result);
    }

    private TrainableStudent.TrainedStage trained(Path weights, StageResult result) {
        int resumedFrom = result.resumedFrom() == null ? 0 : result.resumedFrom();
        return new TrainableStudent.TrainedStage(new TrainableStudent.Weights(weights, fullWeights()), result.trainTokens(), result.meanLoss(),
                result.seconds(), resumedFrom, result.maxCompletionTokens());
    }

    private String weightsName() {
        return fullWeights() ? "model" : "adapter";
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A finished directory appears whole or not at all, so a crash never leaves half-written weights behind a name. */
    private static void move(Path from, Path to) {
        try {
            DirectoryTree.delete(to);
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }
}
