package io.twt.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.model.Tensors;

import java.util.Arrays;
import java.util.List;

/**
 * Right-padded examples as the loss needs them: input ids (B, T), the next token at every position as targets
 * (B, T), and a mask (B, T) that is the position's loss weight where the target is a completion token (1 unless
 * given) and 0 elsewhere. Padding sits after every real token, so the causal mask alone keeps it out of real
 * positions' attention, and the loss mask keeps it out of the loss.
 */
public record Batch(long[] ids, long[] targets, float[] mask, int size, int length, int tokens, int targetTokens) {

    public static Batch of(List<TokenizedExample> examples, long padId) {
        float[] ones = new float[examples.size()];
        Arrays.fill(ones, 1f);
        return of(examples, padId, ones);
    }

    /** @param tokenWeights the loss weight of every completion token of each example ({@link TaskMeans}) */
    public static Batch of(List<TokenizedExample> examples, long padId, float[] tokenWeights) {
        int size = examples.size();
        int length = 0;
        for (TokenizedExample e : examples) {
            length = Math.max(length, e.ids().length);
        }
        long[] ids = new long[size * length];
        long[] targets = new long[size * length];
        float[] mask = new float[size * length];
        int tokens = 0;
        int targetTokens = 0;
        for (int b = 0; b < size; b++) {
            long[] row = examples.get(b).ids();
            int prompt = examples.get(b).promptLength();
            tokens += row.length;
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = t < row.length ? row[t] : padId;
                // position t predicts token t + 1, a completion token when t + 1 >= prompt length
                if (t + 1 < row.length && t + 1 >= prompt) {
                    targets[b * length + t] = row[t + 1];
                    mask[b * length + t] = tokenWeights[b];
                    targetTokens++;
                }
            }
        }
        return new Batch(ids, targets, mask, size, length, tokens, targetTokens);
    }

    /** A batch from Hugging Face style labels: -100 marks positions without loss (prompt, padding). */
    public static Batch fromLabels(long[][] inputIds, long[][] labels) {
        int size = inputIds.length;
        int length = inputIds[0].length;
        long[] ids = new long[size * length];
        long[] targets = new long[size * length];
        float[] mask = new float[size * length];
        int targetTokens = 0;
        for (int b = 0; b < size; b++) {
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = inputIds[b][t];
                if (t + 1 < length && labels[b][t + 1] != -100) {
                    targets[b * length + t] = labels[b][t + 1];
                    mask[b * length + t] = 1f;
                    targetTokens++;
                }
            }
        }
        return new Batch(ids, targets, mask, size, length, size * length, targetTokens);
    }

    public NDArray idsArray(NDManager manager) {
        return Tensors.of(manager, ids, new Shape(size, length));
    }

    public NDArray targetsArray(NDManager manager) {
        return Tensors.of(manager, targets, new Shape(size, length));
    }

    public NDArray maskArray(NDManager manager) {
        return Tensors.of(manager, mask, new Shape(size, length));
    }

    public NDArray positionsArray(NDManager manager) {
        long[] positions = new long[size * length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i % length;
        }
        return Tensors.of(manager, positions, new Shape(size, length));
    }
}
