package io.twt.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
        NDArray logProbs = logits.logSoftmax(2); // (B, T, V)
        NDArray picked = logProbs.gather(batch.targetsArray(manager).expandDims(2), 2).squeeze(2); // (B, T)
        return picked.mul(batch.maskArray(manager)).sum().neg().div(Tensors.scalar(picked, denominator));
    }
}
