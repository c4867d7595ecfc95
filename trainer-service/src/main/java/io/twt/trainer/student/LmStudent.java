package io.twt.trainer.student;

import io.twt.common.GenerationCap;
import io.twt.lm.Generation;
import io.twt.lm.GenerationConfig;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentEndpoint;
import io.twt.lm.StudentModel;
import io.twt.lm.TrainingConfig;
import io.twt.lm.TrainingListener;
import io.twt.lm.TrainingResult;
import io.twt.trainer.domain.DistillRow;
import io.twt.trainer.domain.Student;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The student of the {@code lm} module: LoRA stages hand over the adapter (each saved in PEFT layout, so every
 * stage is the base model plus one adapter), full fine-tuning hands over full Hugging Face checkpoints.
 */
public final class LmStudent implements Student {

    private final Path configuredBase;
    private final Supplier<Path> labBase;
    private final TrainingConfig training;
    private final int checkpointEvery;
    private final GenerationCap draftCap;
    private final int draftBatch;
    private final TrainingListener progress;
    private final DraftEndpoint draftEndpoint; // null: drafts generate in this JVM

    /** A student endpoint for the drafts ({@code twt.trainer.drafts.endpoint}) and its per-request timeout. */
    public record DraftEndpoint(String url, Duration requestTimeout) {
    }

    /**
     * @param configuredBase the base model directory, or null for the lab's pretrained base student
     * @param labBase         the lab's base student (made and cached on first use), used without a configured base
     * @param training        the stage settings; the checkpoint directory is set per stage
     * @param checkpointEvery optimizer steps between checkpoints
     * @param draftCap        the drafts' generation limit, which the stage's training completions lower
     * @param draftEndpoint   where drafts are generated, null for this JVM
     */
    public LmStudent(Path configuredBase, Supplier<Path> labBase, TrainingConfig training,
                     int checkpointEvery, GenerationCap draftCap, int draftBatch, TrainingListener progress,
                     DraftEndpoint draftEndpoint) {
        this.configuredBase = configuredBase;
        this.labBase = labBase;
        this.training = training;
        this.checkpointEvery = checkpointEvery;
        this.draftCap = draftCap;
        this.draftBatch = draftBatch;
        this.progress = progress;
        this.draftEndpoint = draftEndpoint;
    }

    @Override
    public Path baseModel(List<DistillRow> rows) {
        return configuredBase != null ? configuredBase : labBase.get();
    }

    @Override
    public TrainedStage train(StageJob job) {
        boolean full = training.fullFineTuning();
        Path modelDir = full && job.previous() != null ? job.previous().dir() : job.baseModel();
        Path adapter = !full && job.previous() != null ? job.previous().dir() : null;
        TrainingConfig config = training.toBuilder().checkpointDir(job.workDir().resolve("checkpoints"))
                .checkpointEvery(checkpointEvery).resume(true).build();
        List<SftExample> examples = job.examples().stream().map(e -> new SftExample(e.prompt(), e.completion())).toList();
        Path out = job.workDir().resolve(full ? "model" : "adapter");
        Path partial = job.workDir().resolve((full ? "model" : "adapter") + ".partial");
        try (StudentModel model = StudentModel.load(modelDir, adapter)) {
            TrainingResult result = new SftTrainer(model, config).train(examples, progress);
            int longestCompletion = examples.stream().mapToInt(e -> model.countTokens(e.completion())).max().orElse(0);
            deleteRecursively(partial);
            if (full) {
                model.saveMerged(partial);
            } else {
                model.saveAdapter(partial);
            }
            ServingCard.write(partial, job.baseModel(), job.servedName(), full ? null : config.lora().rank());
            move(partial, out);
            return new TrainedStage(new Weights(out, full), result.trainTokens(), result.meanLoss(), result.seconds(),
                    result.resumedFrom(), longestCompletion);
        }
    }

    @Override
    public List<Draft> generate(Path baseModel, String servedName, Weights weights, List<String> prompts,
                                Integer maxCompletionTokens) {
        Path modelDir = weights.full() ? weights.dir() : baseModel;
        Path adapter = weights.full() ? null : weights.dir();
        Integer completionCap = maxCompletionTokens == null ? null : draftCap.fromCompletion(maxCompletionTokens);
        if (draftEndpoint != null) {
            return generateAtEndpoint(baseModel, servedName, weights, prompts, completionCap);
        }
        List<Draft> drafts = new ArrayList<>();
        try (StudentModel model = StudentModel.load(modelDir, adapter)) {
            for (int from = 0; from < prompts.size(); from += draftBatch) {
                List<String> batch = prompts.subList(from, Math.min(prompts.size(), from + draftBatch));
                int longestPrompt = batch.stream().mapToInt(p -> model.promptIds(p).length).max().orElse(0);
                GenerationConfig greedy = GenerationConfig.greedy(
                        draftCap.forBatch(model.config().maxPositionEmbeddings(), longestPrompt, completionCap));
                for (Generation generation : model.generate(batch, greedy)) {
                    drafts.add(new Draft(generation.text(), generation.outputTokens()));
                }
            }
        }
        return drafts;
    }

    /** Greedy drafts from the stage's adapter registered at the endpoint; output tokens are the endpoint's usage. */
    private List<Draft> generateAtEndpoint(Path baseModel, String servedName, Weights weights, List<String> prompts,
                                           Integer completionCap) {
        try (StudentEndpoint endpoint = new StudentEndpoint(draftEndpoint.url(), draftEndpoint.requestTimeout(), draftBatch,
                baseModel)) {
            endpoint.loadAdapter(servedName, weights.dir());
            int longestPrompt = prompts.stream().mapToInt(endpoint::countTokens).max().orElse(0);
            // the endpoint cuts each request further to what its own prompt leaves of the context
            GenerationConfig greedy = GenerationConfig.greedy(draftCap.forBatch(endpoint.contextTokens(), longestPrompt, completionCap));
            return endpoint.complete(servedName, prompts, greedy).stream()
                    .map(generation -> new Draft(generation.text(), generation.outputTokens())).toList();
        }
    }

    /** A finished directory appears whole or not at all, so a crash never leaves half-written weights behind a name. */
    private static void move(Path from, Path to) {
        try {
            deleteRecursively(to);
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
