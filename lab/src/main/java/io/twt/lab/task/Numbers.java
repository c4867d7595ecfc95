package io.twt.lab.task;

import java.util.List;
import java.util.Random;

/** Small helpers the generators share: bounded random ints, picks, and number words for function names. */
final class Numbers {

    private static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen", "twenty"};

    private Numbers() {
    }

    /** Uniform in [low, high], both included. */
    static int between(Random random, int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String word(int n) {
        if (n < 0 || n >= WORDS.length) {
            throw new IllegalArgumentException("no number word for " + n);
        }
        return WORDS[n];
    }

    /** A mistake near the right value: off by one or two, or by ten, never negative. */
    static long nearMiss(Random random, long right) {
        long[] deltas = {-10, -2, -1, 1, 2, 10};
        long wrong;
        do {
            wrong = right + deltas[random.nextInt(deltas.length)];
        } while (wrong < 0 || wrong == right);
        return wrong;
    }
}
