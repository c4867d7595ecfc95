package io.twt.lm;

import ai.djl.ndarray.NDScope;
import io.twt.lm.model.NoGrad;
import io.twt.lm.train.Batch;
import io.twt.lm.train.CausalLmLoss;
import io.twt.lm.train.TaskMeans;
import io.twt.lm.train.TokenizedExample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distilling step-by-step's loss, L = L_label + lambda * L_rationale with each task averaged over its own tokens,
 * equals the one computed by hand from each example's summed cross entropy, and differs from the plain token mean.
 */
class TaskMeansLossTest {

    // a label example with 2 target tokens, two rationale examples with 6 and 4: the plain mean is 80% rationale
    private static final long[] LABEL = {5, 9, 14, 3, 21, 2};
    private static final long[] RATIONALE_1 = {5, 9, 14, 30, 31, 32, 33, 34, 35, 2};
    private static final long[] RATIONALE_2 = {7, 9, 14, 40, 41, 42, 2};

    private static List<TokenizedExample> step(double lambda) {
        return List.of(new TokenizedExample(LABEL, 4, "label", 1.0),
                new TokenizedExample(RATIONALE_1, 4, "rationale", lambda),
                new TokenizedExample(RATIONALE_2, 3, "rationale", lambda));
    }

    @Test
    void eachTaskIsAveragedOverItsOwnTokensAndWeighted() {
        // label: 1 / 2 tokens; rationale: 0.5 / (6 + 4) tokens
        assertArrayEquals(new float[] {0.5f, 0.05f, 0.05f}, TaskMeans.tokenWeights(step(0.5)), 1e-7f);
        // one task of weight 1: every token 1 / 12, the plain mean
        List<TokenizedExample> plain = List.of(new TokenizedExample(LABEL, 4), new TokenizedExample(RATIONALE_1, 4),
                new TokenizedExample(RATIONALE_2, 3));
        assertArrayEquals(new float[] {1 / 12f, 1 / 12f, 1 / 12f}, TaskMeans.tokenWeights(plain), 1e-7f);
    }

    @Test
    void theWeightedLossOfAMixedBatchIsTheSumOfTheTaskMeansComputedByHand() {
        try (StudentModel model = StudentModel.load(Fixtures.dir("llama-tiny"), null)) {
            NoGrad.call(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    // each example's summed cross entropy, alone in its batch
                    double label = summed(model, LABEL, 4);
                    double rationale1 = summed(model, RATIONALE_1, 4);
                    double rationale2 = summed(model, RATIONALE_2, 3);
                    for (double lambda : new double[] {1.0, 0.5}) {
                        double byHand = label / 2 + lambda * (rationale1 + rationale2) / 10;
                        List<TokenizedExample> step = step(lambda);
                        Batch mixed = Batch.of(step, 0, TaskMeans.tokenWeights(step));
                        float weighted = CausalLmLoss.of(model.llama(), mixed, 1f, false).getFloat();
                        assertEquals(byHand, weighted, 1e-4 * Math.abs(byHand), "lambda " + lambda);
                    }
                    double tokenMean = (label + rationale1 + rationale2) / 12;
                    double stepByStep = label / 2 + (rationale1 + rationale2) / 10;
                    assertTrue(Math.abs(tokenMean - stepByStep) > 1e-3,
                            "the per-task mean is another loss than the token mean: " + tokenMean + " vs " + stepByStep);
                }
                return null;
            });
        }
    }

    private static double summed(StudentModel model, long[] ids, int promptLength) {
        Batch alone = Batch.of(List.of(new TokenizedExample(ids, promptLength)), 0);
        return CausalLmLoss.of(model.llama(), alone, 1f, false).getFloat();
    }
}
