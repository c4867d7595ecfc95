package io.twt.embedding.domain;

import java.util.Arrays;

/**
 * One forward pass of the encoder: its windows' real lengths in tokens (special tokens included), ascending; every
 * row is padded to the last.
 */
public record PassShape(int[] lengths) {

    public PassShape {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("a pass has at least one window");
        }
        lengths = lengths.clone();
    }

    public int rows() {
        return lengths.length;
    }

    /** The length every row is padded to. */
    public int paddedLength() {
        return Arrays.stream(lengths).max().orElseThrow();
    }

    /** Token cells the pass computes, padding included. */
    public long cells() {
        return (long) rows() * paddedLength();
    }

    /** Real tokens: the cells that are not padding. */
    public long tokens() {
        return Arrays.stream(lengths).asLongStream().sum();
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }
}
