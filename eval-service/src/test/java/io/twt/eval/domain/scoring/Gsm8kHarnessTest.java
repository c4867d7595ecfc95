package io.twt.eval.domain.scoring;

import static io.twt.eval.domain.scoring.Gsm8kHarness.FLEXIBLE_EXTRACT;
import static io.twt.eval.domain.scoring.Gsm8kHarness.STRICT_MATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class Gsm8kHarnessTest {

    private static final String GOLD = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72";

    @Test
    void strictMatchReadsOnlyTheNumberAfterTheMark() {
        assertTrue(STRICT_MATCH.matches("48 + 24 = 72\n#### 72", GOLD));
        assertTrue(STRICT_MATCH.matches("#### 3,600", "3600"), "commas are ignored");
        assertTrue(STRICT_MATCH.matches("#### 72.", "72"), "a final period is ignored");
        assertFalse(STRICT_MATCH.matches("The answer is 72.", GOLD), "no mark, no answer");
        assertFalse(STRICT_MATCH.matches("#### 72.0", GOLD), "exact match: 72.0 is not 72");
        assertEquals("[invalid]", STRICT_MATCH.extract("seventy-two"));
        assertEquals("10", STRICT_MATCH.extract("#### 10\n#### 12"), "the first mark");
    }

    @Test
    void flexibleExtractTakesTheLastNumberLikeRun() {
        assertTrue(FLEXIBLE_EXTRACT.matches("She sold 48 and then 24, so 72 in all", GOLD));
        assertTrue(FLEXIBLE_EXTRACT.matches("It costs $1,234.", "1234"), "dollar, comma and final period are ignored");
        assertFalse(FLEXIBLE_EXTRACT.matches("72 clips, sold over 2 months", GOLD), "the last number wins");
        assertEquals("5", FLEXIBLE_EXTRACT.extract("x = 5"), "a single digit is a number too");
    }

    @Test
    void mathScoresCarryBothHarnessMetricsBesideOurAccuracy() {
        List<ExampleResult> examples = List.of(
                new ExampleResult("0", true, 3, "72", null, true, true),
                new ExampleResult("1", true, 3, "10", null, false, true),
                new ExampleResult("2", false, 3, "4", "answered 4", false, false),
                new ExampleResult("3", false, 3, null, "no final answer in the output", false, false));
        TaskScore score = TaskScore.of(TaskKind.MATH, examples);
        assertEquals(0.5, score.value());
        assertEquals(0.25, score.harnessMetrics().get("exact_match,strict-match"));
        assertEquals(0.5, score.harnessMetrics().get("exact_match,flexible-extract"));
        assertTrue(score.summaryLine().endsWith("lm-evaluation-harness gsm8k exact_match,strict-match = 25.00%"
                + " exact_match,flexible-extract = 50.00%"), score.summaryLine());
        assertEquals(null, TaskScore.of(TaskKind.MCQ, List.of()).harnessMetrics());
    }
}
