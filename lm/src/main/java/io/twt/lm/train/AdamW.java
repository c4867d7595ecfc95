package io.twt.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) over named parameters, with global-norm gradient clipping. The update runs in
 * libtorch through DJL's fused adamUpdate, which takes lr * sqrt(1 - beta2^t) / (1 - beta1^t) as its bias
 * correction and the clipping factor as rescale_grad; DJL's own clipping is per element, so the global norm is
 * computed here.
 */
public final class AdamW {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> mean = new LinkedHashMap<>(); // per parameter, its shape
    private final Map<String, NDArray> variance = new LinkedHashMap<>(); // per parameter, its shape
    private final double weightDecay;
    private int step;

    public AdamW(Map<String, NDArray> parameters, double weightDecay, NDManager manager) {
        this.parameters = parameters;
        this.weightDecay = weightDecay;
        parameters.forEach((name, p) -> {
            mean.put(name, persistent(manager.zeros(p.getShape(), DataType.FLOAT32)));
            variance.put(name, persistent(manager.zeros(p.getShape(), DataType.FLOAT32)));
        });
    }

    /** L2 norm of all gradients together. */
    public double gradientNorm() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double sum = 0;
            for (NDArray p : parameters.values()) {
                NDArray g = p.getGradient();
                if (g != null) {
                    sum += g.square().sum().getFloat();
                }
            }
            return Math.sqrt(sum);
        }
    }

    /**
     * One update with learning rate lr; gradients are first scaled so their global norm is at most maxGradNorm
     * (0: no clipping), then zeroed for the next step.
     */
    public void step(double lr, double gradNorm, double maxGradNorm) {
        step++;
        float rescale = maxGradNorm > 0 && gradNorm > maxGradNorm ? (float) (maxGradNorm / (gradNorm + 1e-6)) : 1f;
        float biasCorrection = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                // decay matrices only, as the usual AdamW parameter groups do (not norms or biases)
                float decay = p.getShape().dimension() >= 2 ? (float) weightDecay : 0f;
                NDArray grad = p.getGradient();
                if (grad == null) {
                    continue; // not reached by this step's loss
                }
                p.getNDArrayInternal().adamUpdate(
                        new NDList(p, grad, mean.get(e.getKey()), variance.get(e.getKey())), new NDList(p),
                        (float) lr, biasCorrection, decay, rescale, -1f, BETA1, BETA2, EPSILON, false, true);
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }

    public int steps() {
        return step;
    }

    /** The optimizer state as named tensors: {@code <param>.exp_avg}, {@code <param>.exp_avg_sq}. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        mean.forEach((name, m) -> state.put(name + ".exp_avg", m));
        variance.forEach((name, v) -> state.put(name + ".exp_avg_sq", v));
        return state;
    }

    /** Restores the state written by {@link #state()} after {@code steps} updates. */
    public void restore(Map<String, NDArray> state, int steps) {
        mean.forEach((name, m) -> Parameters.copyInto(m, state, name + ".exp_avg"));
        variance.forEach((name, v) -> Parameters.copyInto(v, state, name + ".exp_avg_sq"));
        this.step = steps;
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    public void close() {
        mean.values().forEach(NDArray::close);
        variance.values().forEach(NDArray::close);
    }
}
