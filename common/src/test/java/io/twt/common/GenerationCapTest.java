package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GenerationCapTest {

    private final GenerationCap cap = new GenerationCap(2048, 2.0, 16);

    @Test
    void theCompletionCapIsTwiceTheLongestCompletionPlusTheMargin() {
        assertEquals(2 * 40 + 16, cap.fromCompletion(40));
        assertEquals(16, cap.fromCompletion(0));
    }

    @Test
    void aKnownCompletionCapWinsWhenItIsTheSmallest() {
        assertEquals(96, cap.forBatch(1024, 100, cap.fromCompletion(40)));
    }

    @Test
    void theContextLeftAfterTheLongestPromptBoundsTheCap() {
        assertEquals(1024 - 900, cap.forBatch(1024, 900, 500));
    }

    @Test
    void withoutACompletionCapTheSettingAndTheContextDecide() {
        assertEquals(2048, cap.forBatch(32768, 100, null));
        assertEquals(412, cap.forBatch(512, 100, null));
    }

    @Test
    void aPromptThatFillsTheContextStillGetsOneToken() {
        assertEquals(1, cap.forBatch(512, 600, null));
    }

    @Test
    void aZeroFactorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GenerationCap(2048, 0, 16));
    }
}
