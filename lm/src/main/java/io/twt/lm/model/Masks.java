package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Additive attention masks: 0 where a query may see a key, {@link #BLOCKED} elsewhere. A large finite number
 * rather than -inf keeps fully-blocked rows (left-padding queries) from producing NaN; exp() of it is 0.
 */
public final class Masks {

    public static final float BLOCKED = -1e9f;

    private Masks() {
    }

    /** (1, 1, T, T): position i sees 0..i (and only the last {@code window} of them when window > 0). */
    public static NDArray causal(NDManager manager, int t, int window) {
        return padded(manager, new int[] {0}, 0, t, t, window);
    }

    /**
     * Whether {@link #padded} would be all zeros: every query sees every key, as in a decode step (one query after
     * all S - 1 earlier keys) of rows without padding, within the window. The model then skips the mask.
     */
    public static boolean hidesNothing(int[] pads, int start, int t, int s, int window) {
        boolean causalSeesAll = start >= s - 1; // the first query sits at or after the last key
        boolean windowSeesAll = window <= 0 || start + t - 1 < window; // the last query reaches key 0
        return causalSeesAll && windowSeesAll && Arrays.stream(pads).allMatch(p -> p == 0);
    }

    /**
     * (B, 1, T, S) for left-padded rows: query q sits at sequence index start + q and sees key j when j is not
     * after it, is not padding (j >= pads[b]) and lies within the sliding window.
     */
    public static NDArray padded(NDManager manager, int[] pads, int start, int t, int s, int window) {
        float[] mask = new float[pads.length * t * s];
        for (int b = 0; b < pads.length; b++) {
            for (int q = 0; q < t; q++) {
                int i = start + q;
                for (int j = 0; j < s; j++) {
                    boolean visible = j <= i && j >= pads[b] && (window <= 0 || i - j < window);
                    mask[(b * t + q) * s + j] = visible ? 0f : BLOCKED;
                }
            }
        }
        return Tensors.of(manager, mask, new Shape(pads.length, 1, t, s));
    }
}
