package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerFormTest {

    private static final Query MCQ = Query.of("m", TaskKind.MCQ, "Which?", List.of("bank", "river", "shop"), null, "t", null);
    private static final Query MATH = Query.of("n", TaskKind.MATH, "How many?", null, null, "t", null);
    private static final Query CODE = Query.of("c", TaskKind.CODE, "Write f.", null, null, "t", null);

    @Test
    void multipleChoiceAnswersBecomeTheLetter() {
        assertEquals("B", AnswerForm.normalise(MCQ, "B"));
        assertEquals("B", AnswerForm.normalise(MCQ, "(b)"));
        assertEquals("C", AnswerForm.normalise(MCQ, "C. shop"));
        assertEquals("A", AnswerForm.normalise(MCQ, "The answer is A"));
        assertEquals("B", AnswerForm.normalise(MCQ, "river"));
        assertEquals("a tree", AnswerForm.normalise(MCQ, "a tree"), "no offered letter: kept as written");
    }

    @Test
    void mathAnswersBecomeTheLastNumber() {
        assertEquals("1200", AnswerForm.normalise(MATH, "$1,200"));
        assertEquals("42", AnswerForm.normalise(MATH, "42.0 apples"));
        assertEquals("3.5", AnswerForm.normalise(MATH, "3.50"));
        assertEquals("-4", AnswerForm.normalise(MATH, "x = -4"));
        assertEquals("none", AnswerForm.normalise(MATH, "none"));
    }

    @Test
    void codeAnswersLoseTheirFence() {
        assertEquals("def f(x):\n    return x", AnswerForm.normalise(CODE, "```python\ndef f(x):\n    return x\n```"));
        assertEquals("def f(x): return x", AnswerForm.normalise(CODE, "def f(x): return x"));
    }
}
