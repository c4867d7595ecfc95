package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mask is skipped exactly when the one it replaces would hide no key. */
class MasksTest {

    @Test
    void hidesNothingExactlyWhenThePaddedMaskIsAllZeros() {
        int[][] padsCases = {{0}, {0, 0}, {0, 2}, {1}};
        int cases = 0;
        int skipped = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] pads : padsCases) {
                for (int s = 1; s <= 6; s++) {
                    for (int t = 1; t <= s; t++) {
                        for (int window : new int[] {0, 2, 5, 6}) {
                            int start = s - t; // the queries are the newest t positions, as generation feeds them
                            try (NDArray mask = Masks.padded(manager, pads, start, t, s, window)) {
                                boolean allZeros = mask.eq(0f).all().getBoolean();
                                String name = "pads " + pads.length + "x" + pads[pads.length - 1] + " t " + t + " s " + s
                                        + " window " + window;
                                assertEquals(allZeros, Masks.hidesNothing(pads, start, t, s, window), name);
                                skipped += allZeros ? 1 : 0;
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(skipped > 0 && skipped < cases, skipped + " of " + cases); // both outcomes exercised
    }
}
