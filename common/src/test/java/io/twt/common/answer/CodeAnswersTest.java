package io.twt.common.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodeAnswersTest {

    @Test
    void programAfterTheMark() {
        assertEquals("def add(a, b):\n    return a + b",
                CodeAnswers.extract("Add the two numbers.\n#### def add(a, b):\n    return a + b\n"));
    }

    @Test
    void fencedBlockIsUnwrapped() {
        assertEquals("def f():\n    return 1",
                CodeAnswers.extract("Here it is:\n```python\ndef f():\n    return 1\n```\nDone."));
        assertEquals("def f():\n    return 1", CodeAnswers.extract("#### ```python\ndef f():\n    return 1\n```"));
    }

    @Test
    void unclosedFenceRunsToTheEnd() {
        assertEquals("def f():\n    return 1", CodeAnswers.extract("```py\ndef f():\n    return 1\n"));
    }

    @Test
    void plainOutputIsTheProgram() {
        assertEquals("def f():\n    return 2", CodeAnswers.extract("def f():\n    return 2\n"));
        assertNull(CodeAnswers.extract("  \n"));
    }

    @Test
    void sameIgnoresLayoutOnly() {
        assertTrue(CodeAnswers.same("def f():\n    return 1  \n\n", "def f():\n    return 1"));
        assertFalse(CodeAnswers.same("def f():\n    return 1", "def f():\n    return 2"));
    }
}
