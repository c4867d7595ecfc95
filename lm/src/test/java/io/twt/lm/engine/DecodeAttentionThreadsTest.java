package io.twt.lm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DecodeAttentionThreadsTest {

    @Test
    void unsetMeansOneThreadAndZeroLeavesItToLibtorch() {
        assertEquals(1, DecodeAttentionThreads.parse(null));
        assertEquals(1, DecodeAttentionThreads.parse(" "));
        assertEquals(0, DecodeAttentionThreads.parse("0"));
        assertEquals(2, DecodeAttentionThreads.parse(" 2 "));
    }

    @Test
    void aCountThatIsNoCountIsRefusedWithTheSettingsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DecodeAttentionThreads.parse("-1"));
        assertEquals("twt.lm.decode-attention-threads: '-1' is not a thread count >= 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DecodeAttentionThreads.parse("two"));
    }

    @Test
    void attentionBeyondTheSmallWorkKeepsEveryThread() {
        assertEquals(0, DecodeAttentionThreads.enter(DecodeAttentionThreads.SMALL_WORK + 1));
    }
}
