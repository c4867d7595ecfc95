package io.twt.common.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MathAnswersTest {

    @Test
    void numberAfterTheMarkWinsOverLaterNumbers() {
        assertTrue(MathAnswers.matches("3 + 4 = 7 apples, 7 * 2 = 14\n#### 14\nProblem: 99 more", "14"));
        assertFalse(MathAnswers.matches("3 + 4 = 7\n#### 7\nProblem: 99 more", "99"));
    }

    @Test
    void firstMarkIsTheCommitmentWhenAModelRamblesOn() {
        assertEquals("5", MathAnswers.extract("#### 5\nSolution:\n#### 6"));
    }

    @Test
    void answerIsPhraseIsUsedWithoutAMark() {
        assertTrue(MathAnswers.matches("She has 3 left, so 3 + 5 = 8. The answer is 8.", "8"));
        assertTrue(MathAnswers.matches("Thus 2 * 9 = 18.\nThe answer is: 18", "18"));
    }

    @Test
    void lastNumberIsTheFallback() {
        assertTrue(MathAnswers.matches("First 12 then 30 so we get 42", "42"));
        assertFalse(MathAnswers.matches("First 12 then 42 so we get 30", "42"));
    }

    @Test
    void numbersCompareByValueNotSpelling() {
        assertTrue(MathAnswers.matches("#### $1,000.00", "1000"));
        assertTrue(MathAnswers.matches("#### 3.50", "3.5"));
        assertTrue(MathAnswers.matches("#### -5.", "-5"));
        assertTrue(MathAnswers.matches("#### 42%", "42"));
        assertTrue(MathAnswers.matches("#### 3/4", "0.75"));
        assertTrue(MathAnswers.matches("#### 18 dollars", "18"));
        assertFalse(MathAnswers.matches("#### 1,2", "12"));
    }

    @Test
    void goldWithAWorkedSolutionIsExtractedLikeAnOutput() {
        assertEquals("72", MathAnswers.goldAnswer("48/2 = 24 clips in May.\n48+24 = 72\n#### 72"));
        assertEquals("18", MathAnswers.goldAnswer("Janet sells 16 - 3 - 4 = 9 eggs... The answer is: 18"));
        assertEquals("\\frac{1}{2}", MathAnswers.goldAnswer("\\frac{1}{2}"));
    }

    @Test
    void latexAnswersCompareAsText() {
        assertTrue(MathAnswers.matches("so the result is \\boxed{\\dfrac{1}{2}}", "\\frac{1}{2}"));
        assertTrue(MathAnswers.matches("The answer is: (2, 3)", "(2,3)"));
        assertFalse(MathAnswers.matches("The answer is: (3, 2)", "(2,3)"));
    }

    @Test
    void outputsWithoutAnyAnswerAreWrong() {
        assertNull(MathAnswers.extract(""));
        assertNull(MathAnswers.extract("I do not know."));
        assertFalse(MathAnswers.matches(null, "3"));
        assertFalse(MathAnswers.matches("I do not know.", "3"));
    }

    @Test
    void emptyMarkFallsBackToTheRestOfTheText() {
        assertTrue(MathAnswers.matches("2 + 2 = 4\n#### \nThe answer is 4", "4"));
    }

    @Test
    void canonicalSpellingDropsFormatting() {
        assertEquals("1000", MathAnswers.canonical("$1,000.00"));
        assertEquals("-0.5", MathAnswers.canonical("-.50"));
    }

    @Test
    void boxedDollarDecimalAndThousandsSpellingsOfTheGold() {
        assertTrue(MathAnswers.matches("So we get \\boxed{42}.", "42"));
        assertTrue(MathAnswers.matches("She earns $42", "42"));
        assertTrue(MathAnswers.matches("The total is 42.0", "42"));
        assertTrue(MathAnswers.matches("#### 1,234", "1234"));
        assertTrue(MathAnswers.matches("That makes 1234 apples in all.", "1,234"));
        assertTrue(MathAnswers.matches("The answer is $1,234.00.", "1234"));
        assertFalse(MathAnswers.matches("The answer is 1,235", "1234"));
    }

    @Test
    void fractionsWhereTheGoldIsOne() {
        assertTrue(MathAnswers.matches("The answer is \\frac{3}{4}", "3/4"));
        assertTrue(MathAnswers.matches("The answer is 3/4", "\\frac{3}{4}"));
        assertTrue(MathAnswers.matches("\\boxed{\\dfrac{3}{4}}", "\\frac{3}{4}"));
        assertTrue(MathAnswers.matches("#### 0.75", "\\frac{3}{4}"));
        assertTrue(MathAnswers.matches("The answer is: -\\frac{1}{2}", "-1/2"));
        assertFalse(MathAnswers.matches("The answer is \\frac{4}{3}", "3/4"));
    }
}
