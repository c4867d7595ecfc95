package io.twt.lm.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linear warm-up to the peak, then cosine decay to the floor. */
class LearningRateTest {

    @Test
    void warmsUpLinearlyThenDecaysToTheFloor() {
        int total = 100;
        assertEquals(0.25, LearningRate.at(0, total, 1.0, 0.04, 0.1), 1e-12);
        assertEquals(1.0, LearningRate.at(3, total, 1.0, 0.04, 0.1), 1e-12);
        assertEquals(0.1, LearningRate.at(total - 1, total, 1.0, 0.04, 0.1), 1e-12);
        double previous = 1.0;
        for (int step = 4; step < total; step++) {
            double lr = LearningRate.at(step, total, 1.0, 0.04, 0.1);
            assertTrue(lr <= previous && lr >= 0.1, "step " + step + " lr " + lr);
            previous = lr;
        }
        assertEquals(0.55, LearningRate.at(4 + (total - 1 - 4) / 2, total, 1.0, 0.04, 0.1), 0.02);
    }

    @Test
    void withoutWarmupTheFirstStepUsesThePeak() {
        assertEquals(2e-4, LearningRate.at(0, 10, 2e-4, 0, 0.1), 1e-18);
        assertEquals(2e-4, LearningRate.at(0, 1, 2e-4, 0, 0.1), 1e-18);
    }
}
