package io.twt.compression.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.TaskKind;
import org.junit.jupiter.api.Test;

class RewriteCheckTest {

    private static final String ORIGINAL = "First we add 12 and 30 to get 42. Then we check the sum twice. So the result is 42.";
    private final RewriteCheck check = new RewriteCheck(TokenCounter.WORDS);

    @Test
    void shorterRewriteWithoutClaimsIsAccepted() {
        RewriteCheck.Verdict verdict = check.judge("12 + 30 = 42.", ORIGINAL, "42", TaskKind.MATH);
        assertTrue(verdict.accepted());
        assertEquals("12 + 30 = 42.", verdict.rationale());
        assertEquals(5, verdict.tokens());
    }

    @Test
    void emptyRewriteIsRejected() {
        assertEquals(RewriteCheck.Rejection.EMPTY, check.judge("  \n ", ORIGINAL, "42", TaskKind.MATH).rejection());
        assertEquals(RewriteCheck.Rejection.EMPTY, check.judge("#### 42", ORIGINAL, "42", TaskKind.MATH).rejection());
    }

    @Test
    void rewriteAsLongAsTheOriginalIsRejected() {
        RewriteCheck.Verdict verdict = check.judge(ORIGINAL + " Indeed.", ORIGINAL, "42", TaskKind.MATH);
        assertEquals(RewriteCheck.Rejection.NOT_SHORTER, verdict.rejection());
    }

    @Test
    void mathClaimWithAnotherNumberContradicts() {
        RewriteCheck.Verdict verdict = check.judge("12 + 30 = 41.\n#### 41", ORIGINAL, "42", TaskKind.MATH);
        assertEquals(RewriteCheck.Rejection.CONTRADICTS_ANSWER, verdict.rejection());
        assertFalse(check.judge("Add them. The answer is 41.", ORIGINAL, "42", TaskKind.MATH).accepted());
    }

    @Test
    void mathClaimIsComparedAsANumber() {
        RewriteCheck.Verdict verdict = check.judge("Add them.\nFinal answer: 1,200.0", ORIGINAL + " more words here",
                "1200", TaskKind.MATH);
        assertTrue(verdict.accepted(), verdict.detail());
    }

    @Test
    void trailingAnswerMarkThatAgreesIsCutOff() {
        RewriteCheck.Verdict verdict = check.judge("12 + 30 = 42.\n#### 42", ORIGINAL, "42", TaskKind.MATH);
        assertTrue(verdict.accepted());
        assertEquals("12 + 30 = 42.", verdict.rationale());
    }

    @Test
    void multipleChoiceClaimIsItsLetter() {
        String original = "Option A is wrong because of x. Option B is right because of y and z together here.";
        assertTrue(check.judge("B fits: y and z. The answer is B.", original, "B", TaskKind.MCQ).accepted());
        assertTrue(check.judge("Answer: (B) river", original, "B", TaskKind.MCQ).accepted());
        assertEquals(RewriteCheck.Rejection.CONTRADICTS_ANSWER,
                check.judge("x rules out B. Answer: C", original, "B", TaskKind.MCQ).rejection());
    }

    @Test
    void proseAfterAnswerIsIsNotAChoiceClaim() {
        String original = "Option A is wrong because of x. Option B is right because of y and z together here.";
        assertTrue(check.judge("The answer is clearly the second one.", original, "B", TaskKind.MCQ).accepted());
    }

    @Test
    void codeClaimsAreOnlyAnswerMarkLines() {
        String original = "We need to iterate over the list and keep a running sum of each element then return it.";
        String answer = "def total(xs):\n    return sum(xs)";
        assertTrue(check.judge("The answer is to use sum().", original, answer, TaskKind.CODE).accepted());
        assertEquals(RewriteCheck.Rejection.CONTRADICTS_ANSWER,
                check.judge("Use a loop.\n#### def total(xs): return 0", original, answer, TaskKind.CODE).rejection());
    }

    @Test
    void multiLineCodeAnswerAfterTheMarkIsOneClaimAndIsCutOff() {
        String original = "We need to iterate over the list and keep a running sum of each element then return it.";
        String answer = "def total(xs):\n    return sum(xs)";
        RewriteCheck.Verdict verdict = check.judge("Sum the list.\n#### def total(xs):\n    return sum(xs)", original, answer,
                TaskKind.CODE);
        assertTrue(verdict.accepted(), verdict.detail());
        assertEquals("Sum the list.", verdict.rationale());
    }
}
