package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.ChatMessage;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RubricTest {

    /** Paper appendix C: correctness 50%, readability 20%, execution efficiency 20%, test coverage 10%. */
    private static final Rubric CODE = new Rubric(TaskKind.CODE, "sys", "{question}\n{tests}\n{factors}",
            Map.of("readability", 0.2, "test_coverage", 0.1, "correctness", 0.5, "efficiency", 0.2));

    @Test
    void confidenceIsTheWeightedSumOfTheFactors() {
        double c = CODE.confidence(Map.of("correctness", 1.0, "readability", 0.5, "efficiency", 0.8, "test_coverage", 0.0));
        assertEquals(0.5 * 1.0 + 0.2 * 0.5 + 0.2 * 0.8 + 0.1 * 0.0, c, 1e-12);
    }

    @Test
    void aMissingFactorCountsZeroAndWeightsAreNormalised() {
        assertEquals(0.5, CODE.confidence(Map.of("correctness", 1.0)), 1e-12);
        Rubric unnormalised = new Rubric(TaskKind.MATH, "s", "u", Map.of("a", 2.0, "b", 2.0));
        assertEquals(0.75, unnormalised.confidence(Map.of("a", 1.0, "b", 0.5)), 1e-12);
        assertEquals(1.0, unnormalised.confidence(Map.of("a", 1.0, "b", 1.0, "extra", 1.0)), 1e-12);
    }

    @Test
    void factorsAreListedHeaviestFirstAndTheGoldIsNeverInThePrompt() {
        assertEquals(List.of("correctness", "efficiency", "readability", "test_coverage"), CODE.factorNames());
        Query query = Query.of("q1", TaskKind.CODE, "Write add(x).", null, List.of("assert add(1) == 2"), "lab",
                "def add(x): return x + 1  # GOLD");
        List<ChatMessage> messages = CODE.messages(query);
        assertEquals("system", messages.get(0).role());
        String user = messages.get(1).content();
        assertTrue(user.contains("Write add(x).") && user.contains("assert add(1) == 2"), user);
        assertTrue(user.contains("\"correctness\": <0.0-1.0>"), user);
        assertFalse(user.contains("GOLD"), user);
    }

    @Test
    void choicesAreRenderedAsLetters() {
        Rubric mcq = new Rubric(TaskKind.MCQ, "s", "{question}\n{choices}", Map.of("correctness", 1.0));
        Query query = Query.of("q2", TaskKind.MCQ, "Who?", List.of("Ann", "Bea"), null, "lab", "B");
        assertEquals("Who?\nA. Ann\nB. Bea", mcq.messages(query).get(1).content());
    }

    @Test
    void weightsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Rubric(TaskKind.MATH, "s", "u", Map.of("a", 0.0)));
        assertThrows(IllegalArgumentException.class, () -> new Rubric(TaskKind.MATH, "s", "u", Map.of()));
    }
}
