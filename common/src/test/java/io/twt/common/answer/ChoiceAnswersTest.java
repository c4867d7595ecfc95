package io.twt.common.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceAnswersTest {

    private static final List<String> CHOICES = List.of("ignore", "enforce", "authoritarian", "yell at", "avoid");

    @Test
    void letterAfterTheMarkInItsUsualSpellings() {
        assertEquals("B", ChoiceAnswers.extract("#### B", CHOICES));
        assertEquals("B", ChoiceAnswers.extract("Rules are enforced.\n#### (B) enforce", CHOICES));
        assertEquals("C", ChoiceAnswers.extract("#### C.", CHOICES));
        assertEquals("D", ChoiceAnswers.extract("#### d", CHOICES));
    }

    @Test
    void choiceTextAfterTheMarkNamesItsLetter() {
        assertEquals("D", ChoiceAnswers.extract("#### yell at", CHOICES));
    }

    @Test
    void answerIsPhraseWithoutAMark() {
        assertEquals("E", ChoiceAnswers.extract("A person would avoid it. So the answer is (E).", CHOICES));
        assertEquals("A", ChoiceAnswers.extract("Answer: A", CHOICES));
    }

    @Test
    void articleIsNotALetter() {
        assertNull(ChoiceAnswers.extract("A sunny day outside", CHOICES));
        assertEquals("E", ChoiceAnswers.extract("A wise person would avoid them", CHOICES));
    }

    @Test
    void letterOutsideTheChoicesIsNoAnswer() {
        assertNull(ChoiceAnswers.extract("#### F", CHOICES));
        assertNull(ChoiceAnswers.extract("The answer is Z", CHOICES));
    }

    @Test
    void textMatchingTwoChoicesIsNoAnswer() {
        assertNull(ChoiceAnswers.extract("ignore or avoid", CHOICES));
    }

    @Test
    void goldMayBeALetterOrAChoiceText() {
        assertEquals("B", ChoiceAnswers.goldLetter("b", CHOICES));
        assertEquals("C", ChoiceAnswers.goldLetter("authoritarian", CHOICES));
        assertNull(ChoiceAnswers.goldLetter("none of these", CHOICES));
    }

    @Test
    void rightAndWrongAnswersAgainstTheGold() {
        assertTrue(ChoiceAnswers.matches("#### B", CHOICES, "B"));
        assertFalse(ChoiceAnswers.matches("#### A", CHOICES, "B"));
        assertFalse(ChoiceAnswers.matches("", CHOICES, "B"));
    }

    @Test
    void letterNamedCorrectAtTheStartOfAnExplanation() {
        assertEquals("A", ChoiceAnswers.extract("A is correct because the sanctions undo the work.", CHOICES));
        assertEquals("C", ChoiceAnswers.extract("(C) is the right one: authoritarian fits the blow.", CHOICES));
        assertEquals("B", ChoiceAnswers.extract("B would be the best answer here.", CHOICES));
    }

    @Test
    void letterInParenthesesOrNamedAsAnOption() {
        assertEquals("B", ChoiceAnswers.extract("(B)", CHOICES));
        assertEquals("C", ChoiceAnswers.extract("Option C", CHOICES));
        assertEquals("C", ChoiceAnswers.extract("I would go with option C, since it fits.", CHOICES));
        assertEquals("E", ChoiceAnswers.extract("The correct choice is E.", CHOICES));
    }

    @Test
    void answerIsFollowedByTheLetterAndItsText() {
        assertEquals("D", ChoiceAnswers.extract("Let me think. The answer is: D. yell at", CHOICES));
        assertEquals("D", ChoiceAnswers.extract("**Answer:** D) yell at", CHOICES));
        assertEquals("B", ChoiceAnswers.extract("The answer is B: enforce.", CHOICES));
    }

    @Test
    void theChoiceTextAloneWhenOnlyOneChoiceFits() {
        assertEquals("C", ChoiceAnswers.extract("Authoritarian.", CHOICES));
        assertEquals("D", ChoiceAnswers.extract("They would yell at them", CHOICES));
        assertNull(ChoiceAnswers.extract("not ignore, rather avoid", CHOICES), "two choices named: no answer");
    }

    @Test
    void aLetterInsideAWordOrSentenceIsNotAChoice() {
        assertNull(ChoiceAnswers.extract("I am not sure.", CHOICES));
        assertNull(ChoiceAnswers.extract("Both options seem plausible", CHOICES));
    }
}
