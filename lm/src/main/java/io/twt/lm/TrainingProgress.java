package io.twt.lm;

import java.time.Duration;

/**
 * Where a training run is, reported after every optimizer step.
 *
 * @param step            optimizer steps done (1-based)
 * @param totalSteps      optimizer steps of the whole run
 * @param epoch           current epoch (1-based)
 * @param loss            mean masked cross entropy of this step's completion tokens
 * @param learningRate    the learning rate this step used
 * @param gradNorm        global L2 norm of the gradients before clipping
 * @param tokensPerSecond tokens (prompt + completion, padding excluded) processed per second so far
 * @param eta             estimated time to the end of the run
 */
public record TrainingProgress(int step, int totalSteps, int epoch, double loss, double learningRate,
                               double gradNorm, double tokensPerSecond, Duration eta) {
}
