package io.twt.common;

/** Cosine similarity of two embeddings (paper eq. 2); computed in full, not assuming unit length. */
public final class Cosine {

    private Cosine() {
    }

    public static double similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        if (normA == 0 || normB == 0) {
            throw new IllegalArgumentException("cosine similarity of a zero vector");
        }
        return dot / Math.sqrt(normA * normB);
    }
}
