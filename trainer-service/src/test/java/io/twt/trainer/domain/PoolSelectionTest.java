package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Rejection;
import io.twt.common.TaskKind;
import java.util.ArrayList;
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
    void confidenceSelectionKeepsTheConfidentOutputsWhereTwoOrFewerPass() {
        assertEquals(List.of("m1:a", "m1:b", "m2:a"), rows("select-confidence", null));
        assertEquals(rows("select-confidence", null), rows("tinyllm", null), "no query has three confident outputs");
    }

    private List<String> diverseRows(String recipe, List<String> asked) {
        return PoolSelection.forRecipe(recipe, 0.95, "b").rows(Pools.diverse("s2", asked)).stream()
                .map(row -> row.query().id() + ":" + row.teacher()).toList();
    }

    @Test
    void aPoolKeepsTheLiveEmbeddingsAndAsksTheEmbedderForEveryOtherAnsweredOutput() {
        List<String> asked = new ArrayList<>();
        PoolSnapshot diverse = Pools.diverse("s2", asked);
        // m4's three and m5:a were embedded live; m3:a failed; the eval query e1 is not in the pool
        assertEquals(List.of("a reasons about m1", "b reasons about m1", "c reasons about m1", "a reasons about m2",
                "b reasons about m2", "c reasons about m2", "b reasons about m3", "c reasons about m3",
                "b reasons about m5", "c reasons about m5"), asked);
        PoolSnapshot.PooledQuery m5 = diverse.queries().get(4);
        assertEquals(List.of("a", "b", "c"), List.copyOf(m5.embeddings().keySet()));
        assertArrayEquals(new float[] {0.6f, 0.8f}, m5.embeddings().get("b"));
    }

    @Test
    void confidenceSelectionFollowedByTheDiversityStepIsDcrs() {
        List<String> asked = new ArrayList<>();
        // m4: three confident rationales; a (1, 0) and c (0, 1) are the least alike
        assertEquals(List.of("m1:a", "m1:b", "m2:a", "m4:a", "m4:c", "m5:a"), diverseRows("select-confidence", asked));
        assertEquals(diverseRows("twt", asked), diverseRows("select-confidence", asked), "DCRS's recorded decisions");
        assertEquals(List.of("m1:a", "m1:b", "m2:a", "m4:a", "m4:b", "m4:c", "m5:a"), diverseRows("tinyllm", asked),
                "TinyLLM learns every kept rationale, no pair");
    }

    @Test
    void logprobAndHardRejectionRunTheSameDiversityStepOverTheirOwnKeptOutputs() {
        List<String> asked = new ArrayList<>();
        // m5: all three pass; a (1, 0) with b (0.6, 0.8) at cosine 0.6 beats a with c (0.8) and b with c (0.96)
        assertEquals(List.of("m1:a", "m1:c", "m2:a", "m2:b", "m4:a", "m4:c", "m5:a", "m5:b"),
                diverseRows("select-logprob", asked));
        assertEquals(List.of("m1:a", "m1:b", "m2:b", "m2:c", "m3:b", "m3:c", "m4:a", "m4:c", "m5:a", "m5:b"),
                diverseRows("select-hard-rejection", asked));
        assertEquals(List.of("m1:a", "m1:b", "m1:c", "m2:a", "m2:b", "m2:c", "m3:b", "m3:c", "m4:a", "m4:b", "m4:c",
                "m5:a", "m5:b", "m5:c"), diverseRows("twt-no-dcrs", asked), "w/o DCRS: no quality, no pair");
        assertEquals(List.of("m1:b", "m4:b"), diverseRows("twt-single-teacher", asked));
    }

    @Test
    void aPoolWithoutEmbeddingsRefusesADiversitySelectionThatMustChooseAPair() {
        PoolSnapshot diverse = Pools.diverse("s2", new ArrayList<>());
        PoolSnapshot old = new PoolSnapshot("old", diverse.takenAt(), diverse.queries().stream()
                .map(q -> new PoolSnapshot.PooledQuery(q.query(), q.outputs(), q.selected(), q.rejected(), null)).toList());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> PoolSelection.forRecipe("select-logprob", 0.95, null).rows(old));
        assertTrue(refused.getMessage().contains("m4"), refused.getMessage());
        assertEquals(List.of("m1:a", "m1:b", "m2:a", "m4:a", "m4:c", "m5:a"), PoolSelection.dcrs().rows(old).stream()
                .map(row -> row.query().id() + ":" + row.teacher()).toList(), "DCRS's recorded decisions need none");
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
