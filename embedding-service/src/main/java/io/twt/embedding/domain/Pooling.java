package io.twt.embedding.domain;

import java.util.List;

/** Sentence-transformers' pooling: mean over real tokens, then L2 normalisation; windows averaged by length. */
public final class Pooling {

    private Pooling() {
    }

    /**
     * Mean of the token vectors of one row of a padded batch.
     *
     * @param hidden  the model's last hidden state, (batch, seqLen, dim) flattened row-major
     * @param row     which row of the batch
     * @param tokens  how many leading positions of that row are real tokens (the rest is padding)
     */
    public static float[] mean(float[] hidden, int row, int seqLen, int dim, int tokens) {
        double[] sum = new double[dim];
        int base = row * seqLen * dim;
        for (int t = 0; t < tokens; t++) {
            int offset = base + t * dim;
            for (int d = 0; d < dim; d++) {
                sum[d] += hidden[offset + d];
            }
        }
        float[] mean = new float[dim];
        for (int d = 0; d < dim; d++) {
            mean[d] = (float) (sum[d] / tokens);
        }
        return mean;
    }

    /** A long text's vector: its windows' mean vectors averaged with each window's token count as weight. */
    public static float[] weightedAverage(List<float[]> vectors, List<Integer> weights) {
        int dim = vectors.get(0).length;
        double[] sum = new double[dim];
        double total = 0;
        for (int i = 0; i < vectors.size(); i++) {
            float[] vector = vectors.get(i);
            int weight = weights.get(i);
            for (int d = 0; d < dim; d++) {
                sum[d] += (double) vector[d] * weight;
            }
            total += weight;
        }
        float[] average = new float[dim];
        for (int d = 0; d < dim; d++) {
            average[d] = (float) (sum[d] / total);
        }
        return average;
    }

    public static float[] l2Normalize(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        // sentence-transformers' Normalize divides by max(norm, 1e-12)
        double scale = 1.0 / Math.max(norm, 1e-12);
        float[] unit = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            unit[d] = (float) (vector[d] * scale);
        }
        return unit;
    }
}
