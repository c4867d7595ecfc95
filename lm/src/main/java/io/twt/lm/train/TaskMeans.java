package io.twt.lm.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The loss of a multi-task step as Distilling step-by-step (Hsieh et al. 2023) defines it: L = sum over tasks k of
 * w_k * (mean cross entropy over task k's completion tokens), e.g. L = L_label + lambda * L_rationale. Each task is
 * averaged over its own tokens, so a task with long completions (rationales) does not outweigh one with short ones
 * (labels) by its length. Given as one weight per example's tokens, w_k / (task k's target tokens in the step); with
 * a single task of weight 1 that is the plain mean over every completion token.
 */
public final class TaskMeans {

    private TaskMeans() {
    }

    /** The loss weight of each target token of each example (in the given order) among the step's examples. */
    public static float[] tokenWeights(List<TokenizedExample> step) {
        Map<String, Integer> tokensPerTask = new HashMap<>();
        for (TokenizedExample example : step) {
            tokensPerTask.merge(Objects.toString(example.task(), ""), example.targetTokens(), Integer::sum);
        }
        float[] weights = new float[step.size()];
        for (int i = 0; i < step.size(); i++) {
            TokenizedExample example = step.get(i);
            int tokens = tokensPerTask.get(Objects.toString(example.task(), ""));
            weights[i] = tokens == 0 ? 0f : (float) (example.taskWeight() / tokens);
        }
        return weights;
    }
}
