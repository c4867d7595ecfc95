package io.twt.embedding.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class BatchPlanTest {

    @Test
    void equalLengthsFillPassesUpToTheRowLimit() {
        assertArrayEquals(new int[]{4, 8, 10}, BatchPlan.cuts(new int[]{20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, 4, 32));
    }

    @Test
    void cutsWhereTheLengthJumpsWouldPadMoreThanAPassCosts() {
        // one pass would pad the three short windows to 100: 3 * 90 cells wasted against 32 for a second pass
        assertArrayEquals(new int[]{3, 5}, BatchPlan.cuts(new int[]{10, 10, 10, 100, 100}, 64, 32));
    }

    @Test
    void keepsSmallLengthStepsInOnePassWhenACallCostsMore() {
        // padding 10 -> 12 wastes 6 cells, a second pass would cost 32
        assertArrayEquals(new int[]{5}, BatchPlan.cuts(new int[]{10, 10, 10, 12, 12}, 64, 32));
    }

    @Test
    void noWindowsNoPasses() {
        assertArrayEquals(new int[]{}, BatchPlan.cuts(new int[]{}, 8, 32));
    }
}
