package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.config.LlamaConfig;

import java.util.List;

/**
 * Rotary position embedding tables in Hugging Face's rotate_half layout (transformers' LlamaRotaryEmbedding and
 * modeling_rope_utils): inv_freq[i] = 1 / theta^(2i / rotary_dim), rescaled by rope_scaling (llama3, linear, yarn,
 * longrope); row p of the cos / sin tables is attention_factor * cos / sin of p * [inv_freq, inv_freq] (the two halves
 * repeat). LongRoPE has two tables: short factors while the forward pass's positions fit
 * original_max_position_embeddings, long factors past it (Phi3RotaryEmbedding's choice). Rows grow on demand.
 */
final class RopeTable implements AutoCloseable {

    /** One frequency set's tables. */
    private static final class Table implements AutoCloseable {
        final float[] invFreq; // (rotary_dim / 2)
        final float attentionFactor;
        NDArray cos; // (capacity, rotary_dim)
        NDArray sin; // (capacity, rotary_dim)
        int capacity;

        Table(float[] invFreq, double attentionFactor) {
            this.invFreq = invFreq;
            this.attentionFactor = (float) attentionFactor;
        }

        void ensure(int positions, NDManager manager) {
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
                    float cv = (float) Math.cos(angle) * attentionFactor;
                    float sv = (float) Math.sin(angle) * attentionFactor;
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

    private final NDManager manager;
    private final Table table; // every position; LongRoPE's short factors
    private final Table longTable; // LongRoPE's long factors, or null
    private final int originalMaxPositions; // LongRoPE's switch-over length
    private final int rotaryDim;
    private NDArray rotateHalf; // (rd, rd), made on first use

    RopeTable(LlamaConfig config, NDManager manager) {
        this.manager = manager;
        this.rotaryDim = config.rotaryDim();
        this.table = new Table(inverseFrequencies(config, false), attentionFactor(config));
        if (config.ropeScaling() instanceof LlamaConfig.LongRope longRope) {
            this.longTable = new Table(inverseFrequencies(config, true), longRope.attentionFactor());
            this.originalMaxPositions = longRope.originalMaxPositionEmbeddings();
        } else {
            this.longTable = null;
            this.originalMaxPositions = Integer.MAX_VALUE;
        }
    }

    static float[] inverseFrequencies(LlamaConfig config) {
        return inverseFrequencies(config, false);
    }

    /** transformers' _compute_*_parameters for the config's rope_scaling; {@code long} picks LongRoPE's long factors. */
    static float[] inverseFrequencies(LlamaConfig config, boolean longRegime) {
        int dim = config.rotaryDim();
        double theta = config.ropeTheta();
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / dim));
        }
        switch (config.ropeScaling()) {
            case null -> {
            }
            case LlamaConfig.LinearScaling s -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / s.factor());
                }
            }
            case LlamaConfig.Llama3 s -> {
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
            }
            case LlamaConfig.Yarn s -> {
                // channels below `low` rotate often enough to extrapolate; above `high` they are interpolated
                double low = Math.max(Math.floor(correctionDim(s.betaFast(), dim, theta, s.originalMaxPositionEmbeddings())), 0);
                double high = Math.min(Math.ceil(correctionDim(s.betaSlow(), dim, theta, s.originalMaxPositionEmbeddings())), dim - 1);
                if (low == high) {
                    high += 0.001; // transformers' guard against a zero-width ramp
                }
                for (int i = 0; i < inv.length; i++) {
                    double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
                    double extrapolation = 1 - ramp;
                    inv[i] = (float) (inv[i] / s.factor() * (1 - extrapolation) + inv[i] * extrapolation);
                }
            }
            case LlamaConfig.LongRope s -> {
                List<Double> factors = longRegime ? s.longFactor() : s.shortFactor();
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / factors.get(i));
                }
            }
        }
        return inv;
    }

    /** The dimension whose wavelength completes {@code rotations} turns over the original context (YaRN). */
    private static double correctionDim(double rotations, int dim, double theta, int originalMax) {
        return dim * Math.log(originalMax / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
    }

    private static double attentionFactor(LlamaConfig config) {
        return switch (config.ropeScaling()) {
            case LlamaConfig.Yarn y -> y.attentionFactor();
            case LlamaConfig.LongRope l -> l.attentionFactor();
            case null, default -> 1.0;
        };
    }

    /**
     * Whether this forward pass uses LongRoPE's long factors: its largest position + 1 exceeds
     * original_max_position_embeddings. {@code rows} (cached + T) bounds that position, so only a pass that may cross
     * the boundary reads the positions back from the device.
     */
    boolean longRegime(NDArray positionIds, int rows) {
        return longTable != null && rows > originalMaxPositions && positionIds.max().getLong() + 1 > originalMaxPositions;
    }

    /** {cos, sin} tables (at least {@code positions} rows, rotary_dim wide) of the chosen regime. */
    NDArray[] tables(int positions, boolean longRegime) {
        Table t = longRegime ? longTable : table;
        t.ensure(positions, manager);
        return new NDArray[] {t.cos, t.sin};
    }

    /**
     * R (rd, rd) with x R = rotate_half(x) = [-x2, x1]: a signed permutation, so the product is exact (one nonzero
     * term per column); one matmul where split, neg and concat are three ops.
     */
    NDArray rotateHalf() {
        if (rotateHalf == null) {
            int half = rotaryDim / 2;
            float[] r = new float[rotaryDim * rotaryDim];
            for (int j = 0; j < half; j++) {
                r[(j + half) * rotaryDim + j] = -1f; // out[j] = -x[j + half]
                r[j * rotaryDim + j + half] = 1f; // out[j + half] = x[j]
            }
            rotateHalf = Tensors.of(manager, r, new Shape(rotaryDim, rotaryDim));
            NDScope.unregister(rotateHalf); // it outlives the pass that made it
        }
        return rotateHalf;
    }

    @Override
    public void close() {
        if (rotateHalf != null) {
            rotateHalf.close();
        }
        table.close();
        if (longTable != null) {
            longTable.close();
        }
    }
}
