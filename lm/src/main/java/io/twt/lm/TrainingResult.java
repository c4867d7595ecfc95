package io.twt.lm;

/**
 * What a finished training run did.
 *
 * @param steps        optimizer steps of the run (including those done before a resume)
 * @param resumedFrom  the step the run resumed from (0 when it started fresh)
 * @param finalLoss    mean loss of the last step
 * @param meanLoss     mean loss over the last epoch's steps
 * @param trainTokens  tokens (padding excluded) of all passes of this run, resumed part included
 * @param examples     training examples
 * @param seconds      wall time of this process's part of the run
 */
public record TrainingResult(int steps, int resumedFrom, double finalLoss, double meanLoss, long trainTokens,
                             int examples, double seconds) {
}
