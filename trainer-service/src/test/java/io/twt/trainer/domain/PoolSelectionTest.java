package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Rejection;
import io.twt.common.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSelectionTest {

    private final PoolSnapshot pool = Pools.pool("s1");

    private List<String> rows(String recipe, String teacher) {
        return PoolSelection.forRecipe(recipe, 0.95, teacher).rows(pool).stream()
                .map(row -> row.query().id() + ":" + row.teacher()).toList();
    }

    @Test
    void thePoolHoldsEveryDecidedDistillationQueryWithAllItsOutputsAndNoEvalQuery() {
        assertEquals(List.of("m1", "m2", "m3"), pool.queries().stream().map(q -> q.query().id()).toList());
        assertEquals(9, pool.outputCount());
        assertEquals(Rejection.Reason.ALL_LOW_CONFIDENCE, pool.queries().get(2).rejected());
        assertNull(pool.queries().get(0).rejected());
    }

    @Test
    void noRecipeCanTrainOnAnEvalQuery() {
        for (String recipe : StageRecipe.NAMES) {
            assertTrue(PoolSelection.forRecipe(recipe, 0.0, "a").rows(pool).stream()
                    .noneMatch(row -> row.query().forEvaluation()), recipe);
        }
    }

    @Test
    void dcrsRecipesTrainOnTheDecisionsTheSamplerMade() {
        for (String recipe : List.of("twt", "twt-4stage", "standard-kd", "step-by-step", "twt-no-compression",
                "twt-fixed-length", "twt-compressor")) {
            assertEquals(List.of("m1:a", "m1:b", "m2:a"), rows(recipe, null), recipe);
        }
    }

    @Test
    void confidenceSelectionKeepsEveryConfidentOutputWithoutAPair() {
        assertEquals(List.of("m1:a", "m1:b", "m2:a"), rows("select-confidence", null));
        assertEquals(rows("select-confidence", null), rows("tinyllm", null), "TinyLLM learns every kept rationale");
    }

    @Test
    void logprobSelectionKeepsRepliesTheTeacherFoundLikely() {
        // exp(-0.01) = 0.990 and exp(-0.02) = 0.980 pass 0.95; exp(-0.30) = 0.741 does not
        assertEquals(List.of("m1:a", "m1:c", "m2:a", "m2:b"), rows("select-logprob", null));
    }

    @Test
    void hardRejectionKeepsAnswersAStrictMajorityOfTeachersGave() {
        assertEquals(List.of("m1:a", "m1:b", "m2:b", "m2:c", "m3:b", "m3:c"), rows("select-hard-rejection", null));
    }

    @Test
    void withoutDcrsEveryAnsweredOutputIsTrainedOn() {
        assertEquals(List.of("m1:a", "m1:b", "m1:c", "m2:a", "m2:b", "m2:c", "m3:b", "m3:c"), rows("twt-no-dcrs", null));
    }

    @Test
    void singleTeacherKeepsThatTeachersConfidentOutputsOnly() {
        assertEquals(List.of("m1:b"), rows("twt-single-teacher", "b"));
        assertThrows(IllegalArgumentException.class, () -> rows("twt-single-teacher", null));
    }

    @Test
    void labelAccuracyCountsSelectedAnswersAgainstGold() {
        PoolSelection.LabelAccuracy confidence = PoolSelection.labelAccuracy(
                PoolSelection.forRecipe("select-confidence", 0.95, null).rows(pool)).get(TaskKind.MATH);
        assertEquals(new PoolSelection.LabelAccuracy(2, 3), confidence, "m2:a says 5");
        PoolSelection.LabelAccuracy majority = PoolSelection.labelAccuracy(
                PoolSelection.forRecipe("select-hard-rejection", 0.95, null).rows(pool)).get(TaskKind.MATH);
        assertEquals(1.0, majority.value());
    }
}
