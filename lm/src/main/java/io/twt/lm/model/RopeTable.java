package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.LlamaConfig;

/**
 * Rotary position embedding tables in Hugging Face's rotate_half layout (transformers' LlamaRotaryEmbedding):
 * inv_freq[i] = 1 / theta^(2i / head_dim), optionally rescaled by llama3 rope_scaling; row p of the cos / sin
 * tables is cos / sin of p * [inv_freq, inv_freq] (the two halves repeat). Rows grow on demand.
 */
final class RopeTable implements AutoCloseable {

    private final float[] invFreq; // (head_dim / 2)
    private final NDManager manager;
    private NDArray cos; // (capacity, head_dim)
    private NDArray sin; // (capacity, head_dim)
    private int capacity;

    RopeTable(LlamaConfig config, NDManager manager) {
        this.manager = manager;
        this.invFreq = inverseFrequencies(config);
    }

    static float[] inverseFrequencies(LlamaConfig config) {
        int dim = config.headDim();
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / dim));
        }
        LlamaConfig.RopeScaling s = config.ropeScaling();
        if (s == null) {
            return inv;
        }
        // transformers' _compute_llama3_parameters
        double lowFreqWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double highFreqWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowFreqWavelen) {
                inv[i] = (float) (inv[i] / s.factor());
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (float) ((1 - smooth) * inv[i] / s.factor() + smooth * inv[i]);
            }
        }
        return inv;
    }

    /** The cos table with at least {@code positions} rows. */
    NDArray cos(int positions) {
        ensure(positions);
        return cos;
    }

    NDArray sin(int positions) {
        ensure(positions);
        return sin;
    }

    private void ensure(int positions) {
        if (positions <= capacity) {
            return;
        }
        int rows = Math.max(positions, Math.max(256, capacity * 2));
        int dim = invFreq.length * 2;
        float[] c = new float[rows * dim];
        float[] s = new float[rows * dim];
        for (int p = 0; p < rows; p++) {
            for (int i = 0; i < invFreq.length; i++) {
                float angle = p * invFreq[i]; // float32 product, as the reference computes it
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[p * dim + i] = cv;
                c[p * dim + i + invFreq.length] = cv;
                s[p * dim + i] = sv;
                s[p * dim + i + invFreq.length] = sv;
            }
        }
        close();
        cos = Tensors.of(manager, c, new Shape(rows, dim));
        sin = Tensors.of(manager, s, new Shape(rows, dim));
        // the tables outlive the forward pass that asked for them
        NDScope.unregister(cos, sin);
        capacity = rows;
    }

    @Override
    public void close() {
        if (cos != null) {
            cos.close();
            sin.close();
        }
    }
}
