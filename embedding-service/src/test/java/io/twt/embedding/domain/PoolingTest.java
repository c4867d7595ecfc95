package io.twt.embedding.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolingTest {

    @Test
    void meanCoversOnlyTheRealTokensOfItsRow() {
        // batch of 2 rows, 3 positions, dim 2; row 1 has 2 real tokens and one padded position of 100s
        float[] hidden = {9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 100, 100};
        assertArrayEquals(new float[]{2, 3}, Pooling.mean(hidden, 1, 3, 2, 2), 1e-6f);
    }

    @Test
    void windowsWeighByTheirTokenCount() {
        float[] average = Pooling.weightedAverage(List.of(new float[]{1, 0}, new float[]{0, 1}), List.of(3, 1));
        assertArrayEquals(new float[]{0.75f, 0.25f}, average, 1e-6f);
    }

    @Test
    void normalisedVectorsHaveUnitLength() {
        assertArrayEquals(new float[]{0.6f, 0.8f}, Pooling.l2Normalize(new float[]{3, 4}), 1e-6f);
        assertArrayEquals(new float[]{0, 0}, Pooling.l2Normalize(new float[]{0, 0}), 0f);
    }
}
