package io.twt.trainer.domain;

import io.twt.common.ModelVersion;
import java.nio.file.Path;
import java.util.List;

/**
 * The student as the trainer sees it: a base model made or found, trained stage by stage into weights, and asked for
 * drafts. The trainer's one student concept; {@code student.LmTrainableStudent} implements it with the {@code lm} module.
 */
public interface TrainableStudent {

    /** A stage's result: a LoRA adapter directory (on the base model), or full weights when fully fine-tuned. */
    record Weights(Path dir, boolean full) {
    }

    /**
     * One stage's training run.
     *
     * @param target   what the stage's completions hold: an answer-only stage may train for its own epochs
     * @param previous the previous stage's weights to continue from (fresh optimizer state), null for stage 1
     * @param workDir  the stage's directory: checkpoints go below it, and a run finds them there after a restart
     */
    record StageJob(int round, int stage, StageTarget target, String recipe, Path baseModel, Weights previous,
                    List<StageRecipe.Example> examples, Path workDir) {

        /** The model name the stage's adapter is served under ({@code ModelVersion.servedName}). */
        public String servedName() {
            return ModelVersion.servedName(recipe, round, stage);
        }
    }

    /**
     * @param maxCompletionTokens the longest completion trained on, in the student's tokens: later generations are capped
     *                            by it; null when the engine that trained the stage did not count it
     */
    record TrainedStage(Weights weights, long trainTokens, double loss, double seconds, int resumedFrom,
                        Integer maxCompletionTokens) {
    }

    record Draft(String text, int tokens) {
    }

    /** The base model's directory; without a configured one, a student made from nothing on G's texts (once). */
    Path baseModel(List<DistillRow> rows);

    TrainedStage train(StageJob job);

    /**
     * Greedy outputs for the prompts, in order.
     *
     * @param servedName          the weights' model name where a student endpoint serves them ({@code ModelVersion.servedName})
     * @param maxCompletionTokens the longest completion these weights trained on, which caps the drafts; null when unknown
     */
    List<Draft> generate(Path baseModel, String servedName, Weights weights, List<String> prompts, Integer maxCompletionTokens);
}
