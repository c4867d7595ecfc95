package io.twt.common.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {

    private static final Query MATH = Query.of("m", TaskKind.MATH, "2+2?", null, null, "t", "4");
    private static final Query MCQ = Query.of("c", TaskKind.MCQ, "Pick", List.of("red", "blue"), null, "t", "B");
    private static final Query CODE = Query.of("p", TaskKind.CODE, "f", null, List.of("assert f() == 1"), "t", null);

    @Test
    void extractGivesTheCanonicalAnswerPerKind() {
        assertEquals("4", Answers.extract(MATH, "2 + 2 = 4.0\n#### 4.0"));
        assertEquals("B", Answers.extract(MCQ, "#### (b)"));
        assertEquals("def f():\n    return 1", Answers.extract(CODE, "#### def f():\n    return 1"));
    }

    @Test
    void sameAnswerComparesWhatTwoOutputsConcludeNotTheirReasoning() {
        assertTrue(Answers.sameAnswer(MATH, "long way: 1+1+1+1 = 4\n#### 4", "#### 4"));
        assertFalse(Answers.sameAnswer(MATH, "#### 4", "#### 5"));
        assertTrue(Answers.sameAnswer(MCQ, "blue is right\n#### B", "The answer is B"));
        assertFalse(Answers.sameAnswer(MCQ, "#### C", "#### C"));
    }

    @Test
    void goldMatchingForTextJudgedKinds() {
        assertTrue(Answers.matchesGold(MATH, "#### 4"));
        assertFalse(Answers.matchesGold(MCQ, "#### A"));
        assertThrows(IllegalArgumentException.class, () -> Answers.matchesGold(CODE, "x"));
    }
}
