package io.twt.trainer.student;

import io.twt.common.GenerationCap;
import io.twt.lm.Generation;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.LoraEndpoint;
import io.twt.lm.StudentModel;
import io.twt.trainer.domain.DistillRow;
import io.twt.trainer.domain.StageTrainer;
import io.twt.trainer.domain.TrainableStudent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link TrainableStudent} of the {@code lm} module ({@code StudentModel}): LoRA stages hand over the adapter
 * (each saved in PEFT layout, so every stage is the base model plus one adapter), full fine-tuning hands over full
 * Hugging Face checkpoints. Stages are trained by the configured {@link StageTrainer}; drafts are generated here or at
 * a student endpoint.
 */
public final class LmTrainableStudent implements TrainableStudent {

    private final Path configuredBase;
    private final Supplier<Path> labBase;
    private final StageTrainer stages;
    private final GenerationCap draftCap;
    private final int draftBatch;
    private final DraftEndpoint draftEndpoint; // null: drafts generate in this JVM

    /** A student endpoint for the drafts ({@code twt.trainer.drafts.endpoint}) and its per-request timeout. */
    public record DraftEndpoint(String url, Duration requestTimeout) {
    }

    /**
     * @param configuredBase the base model directory, or null for the lab's pretrained base student
     * @param labBase         the lab's base student (made and cached on first use), used without a configured base
     * @param stages          where each stage is trained (the backend: lm in this JVM, a command, a Kubernetes job)
     * @param draftCap        the drafts' generation limit, which the stage's training completions lower
     * @param draftEndpoint   where drafts are generated, null for this JVM
     */
    public LmTrainableStudent(Path configuredBase, Supplier<Path> labBase, StageTrainer stages, GenerationCap draftCap, int draftBatch,
                     DraftEndpoint draftEndpoint) {
        this.configuredBase = configuredBase;
        this.labBase = labBase;
        this.stages = stages;
        this.draftCap = draftCap;
        this.draftBatch = draftBatch;
        this.draftEndpoint = draftEndpoint;
    }

    @Override
    public Path baseModel(List<DistillRow> rows) {
        return configuredBase != null ? configuredBase : labBase.get();
    }

    @Override
    public TrainedStage train(StageJob job) {
        return stages.train(job);
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
        try (LoraEndpoint endpoint = new LoraEndpoint(draftEndpoint.url(), draftEndpoint.requestTimeout(), draftBatch,
                baseModel)) {
            endpoint.loadAdapter(servedName, weights.dir());
            int longestPrompt = prompts.stream().mapToInt(endpoint::countTokens).max().orElse(0);
            // the endpoint cuts each request further to what its own prompt leaves of the context
            GenerationConfig greedy = GenerationConfig.greedy(draftCap.forBatch(endpoint.contextTokens(), longestPrompt, completionCap));
            return endpoint.complete(servedName, prompts, greedy).stream()
                    .map(generation -> new Draft(generation.text(), generation.outputTokens())).toList();
        }
    }
}
