package io.twt.embedding.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts windows, sorted by length, into forward passes. Every row of a pass is padded to its longest window, so
 * a pass costs its padded cells; a pass also has a fixed cost (the call, and the poorer matrix shapes of few
 * rows), expressed in cells. The plan minimises the sum over passes by dynamic programming over the cut points.
 */
public final class BatchPlan {

    private BatchPlan() {
    }

    /**
     * @param sortedLengths window lengths in ascending order
     * @param maxRows       at most this many windows per pass
     * @param passCells     the fixed cost of one pass, in padded token cells
     * @return the end index (exclusive) of each pass, ascending; the last is {@code sortedLengths.length}
     */
    public static int[] cuts(int[] sortedLengths, int maxRows, int passCells) {
        int n = sortedLengths.length;
        long[] best = new long[n + 1];
        int[] from = new int[n + 1];
        for (int end = 1; end <= n; end++) {
            best[end] = Long.MAX_VALUE;
            // ascending order: the pass [start, end) is padded to its last window
            long padded = sortedLengths[end - 1];
            for (int start = end - 1; start >= Math.max(0, end - maxRows); start--) {
                long cost = best[start] + passCells + padded * (end - start);
                if (cost < best[end]) {
                    best[end] = cost;
                    from[end] = start;
                }
            }
        }
        List<Integer> ends = new ArrayList<>();
        for (int end = n; end > 0; end = from[end]) {
            ends.add(0, end);
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }
}
