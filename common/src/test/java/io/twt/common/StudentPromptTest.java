package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StudentPromptTest {

    @Test
    void multipleChoicePromptLettersTheChoices() {
        Query query = Query.of("q", TaskKind.MCQ, "Which is largest?", List.of("1", "5", "3"), null, "t", null);
        assertEquals("Question: Which is largest?\nA. 1\nB. 5\nC. 3\nSolution:\n", StudentPrompt.prompt(query));
    }

    @Test
    void codePromptListsTheTests() {
        Query query = Query.of("q", TaskKind.CODE, "Write add(a, b).", null, List.of("assert add(1, 2) == 3"), "t", null);
        assertTrue(StudentPrompt.prompt(query).contains("assert add(1, 2) == 3\nSolution:\n"));
    }

    @Test
    void answerFollowsTheMarkInEveryStage() {
        assertEquals("2 + 3 = 5\n#### 5", StudentPrompt.completion("2 + 3 = 5", "5"));
        assertEquals("#### 5", StudentPrompt.completion(null, "5"));
        assertEquals("5", StudentPrompt.answerOf("2 + 3 = 5\n#### 5"));
        assertEquals("2 + 3 = 5", StudentPrompt.rationaleOf("2 + 3 = 5\n#### 5"));
        assertNull(StudentPrompt.answerOf("no mark here"));
    }
}
