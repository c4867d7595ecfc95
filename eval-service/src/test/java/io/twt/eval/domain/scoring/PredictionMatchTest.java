package io.twt.eval.domain.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.scoring.PredictionMatch.Prediction;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PredictionMatchTest {

    private static final List<EvalItem> ITEMS = IntStream.range(0, 5)
            .mapToObj(i -> new EvalItem(Query.of(String.valueOf(i), TaskKind.MATH, "q" + i, null, null, "gsm8k.jsonl",
                    String.valueOf(i)), null, "gsm8k")).toList();

    @Test
    void datasetIdsAndPrefixedIdsBothMatch() {
        PredictionMatch match = PredictionMatch.of(ITEMS, List.of(new Prediction("3", "#### 3", 2),
                new Prediction("gsm8k-1", "#### 1", null), new Prediction(" 0 ", "0", null)), String::length);
        assertEquals(List.of("0", "#### 1", "", "#### 3", ""), match.outputs().stream().map(ModelOutput::text).toList());
        assertEquals(List.of(1, 6, 0, 2, 0), match.outputs().stream().map(ModelOutput::outputTokens).toList());
        assertEquals(List.of("2", "4"), match.unmatchedExamples());
    }

    @Test
    void aPartialMatchSaysHowManyAndShowsTwoUnmatchedIdsFromEachSide() {
        PredictionMatch match = PredictionMatch.of(ITEMS, List.of(new Prediction("0", "#### 0", 1),
                new Prediction("gsm_7", "x", 1), new Prediction("q-8", "x", 1), new Prediction("9", "x", 1)), String::length);
        assertEquals("1 of 5 examples have a prediction (4 predictions read); without one (scored as wrong): 1, 2"
                + " (and 2 more); predictions naming no example: gsm_7, q-8 (and 1 more)", match.message());
    }

    @Test
    void noMatchAtAllExplainsWhichIdsAreExpected() {
        PredictionMatch match = PredictionMatch.of(ITEMS, List.of(new Prediction("test-0", "x", 1)), String::length);
        assertEquals(0, match.matched());
        assertTrue(match.message().startsWith("0 of 5 examples have a prediction"), match.message());
        assertTrue(match.message().contains("ids are the dataset's own"), match.message());
    }

    @Test
    void aCompleteMatchHasNothingToSay() {
        List<Prediction> all = ITEMS.stream().map(item -> new Prediction(item.id(), "#### " + item.id(), 2)).toList();
        assertNull(PredictionMatch.of(ITEMS, all, String::length).message());
    }
}
