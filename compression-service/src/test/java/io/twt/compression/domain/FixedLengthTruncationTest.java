package io.twt.compression.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FixedLengthTruncationTest {

    @Test
    void keepsTheLongestWholeWordPrefixWithinTheBudget() {
        assertEquals("one two\nthree", FixedLengthTruncation.truncate("one two\nthree four five", 3, TokenCounter.WORDS));
    }

    @Test
    void shortRationaleIsKeptWhole() {
        assertEquals("one two", FixedLengthTruncation.truncate("  one two ", 3, TokenCounter.WORDS));
    }

    @Test
    void countsInTheGivenTokensNotWords() {
        TokenCounter characters = String::length;
        assertEquals("abc de", FixedLengthTruncation.truncate("abc de fgh", 7, characters));
        assertEquals("abcdefgh", FixedLengthTruncation.truncate("abcdefgh ij", 3, characters));
    }
}
