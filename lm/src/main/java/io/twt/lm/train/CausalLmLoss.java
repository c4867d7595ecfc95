package io.twt.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.Masks;
import io.twt.lm.model.Tensors;

/**
 * Masked next-token cross entropy: -log softmax(logits)[target] summed over the masked positions and divided by
 * a token count (DJL has no ignore_index, so the mask does its job).
 */
public final class CausalLmLoss {

    private CausalLmLoss() {
    }

    /** The summed loss of the batch's completion tokens divided by {@code denominator}; a scalar in the graph. */
    public static NDArray of(LlamaModel model, Batch batch, float denominator, boolean training) {
        NDManager manager = model.manager();
        NDArray logits = model.forward(batch.idsArray(manager), batch.positionsArray(manager),
                Masks.causal(manager, batch.length(), model.config().slidingWindow()), null, training, false); // (B, T, V)
        return ofLogits(logits, batch, denominator);
    }

    /**
     * Forward and backward of {@link #of} with activation recomputation per decoder layer
     * ({@link LlamaModel#recomputedBackward}): the same loss and gradients, one layer's graph alive at a time.
     *
     * @return the loss value
     */
    public static float backwardRecomputed(LlamaModel model, Batch batch, float denominator, boolean training,
                                           GradientCollector collector, long seed) {
        NDManager manager = model.manager();
        return model.recomputedBackward(batch.idsArray(manager), batch.positionsArray(manager),
                Masks.causal(manager, batch.length(), model.config().slidingWindow()), training,
                logits -> ofLogits(logits, batch, denominator), collector, seed);
    }

    private static NDArray ofLogits(NDArray logits, Batch batch, float denominator) {
        NDManager manager = logits.getManager();
        NDArray logProbs = logits.logSoftmax(2); // (B, T, V)
        NDArray picked = logProbs.gather(batch.targetsArray(manager).expandDims(2), 2).squeeze(2); // (B, T)
        return picked.mul(batch.maskArray(manager)).sum().neg().div(Tensors.scalar(picked, denominator));
    }
}
