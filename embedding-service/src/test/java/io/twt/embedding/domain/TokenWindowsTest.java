package io.twt.embedding.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenWindowsTest {

    private static final long[] CLS = {101};
    private static final long[] SEP = {102};

    @Test
    void aShortTextIsOneWrappedWindow() {
        List<long[]> windows = TokenWindows.of(new long[]{7, 8, 9}, CLS, SEP, 8);
        assertEquals(1, windows.size());
        assertArrayEquals(new long[]{101, 7, 8, 9, 102}, windows.get(0));
    }

    @Test
    void aLongTextIsCutIntoFullWindowsAndARest() {
        List<long[]> windows = TokenWindows.of(new long[]{1, 2, 3, 4, 5, 6, 7}, CLS, SEP, 5);
        assertEquals(3, windows.size());
        assertArrayEquals(new long[]{101, 1, 2, 3, 102}, windows.get(0));
        assertArrayEquals(new long[]{101, 4, 5, 6, 102}, windows.get(1));
        assertArrayEquals(new long[]{101, 7, 102}, windows.get(2));
    }

    @Test
    void anEmptyTextIsTheSpecialTokensAlone() {
        assertArrayEquals(new long[]{101, 102}, TokenWindows.of(new long[0], CLS, SEP, 5).get(0));
    }

    @Test
    void aWindowWithoutRoomForTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TokenWindows.of(new long[]{1}, CLS, SEP, 2));
    }
}
