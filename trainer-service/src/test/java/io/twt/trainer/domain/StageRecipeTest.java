package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.CompressionMethod;
import io.twt.common.StudentPrompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageRecipeTest {

    private final List<DistillRow> rows = java.util.stream.Stream.of(Samples.set("q1", "a", "b"), Samples.set("q22", "a"))
            .flatMap(s -> s.samples().stream().map(sample -> new DistillRow(s.query(), sample))).toList();

    @Test
    void hardHasThreeStagesWithCompressionAfterTheFirst() {
        StageRecipe hard = StageRecipe.hard();
        assertEquals(List.of(StageTarget.FULL_RATIONALE, StageTarget.COMPRESSED_RATIONALE, StageTarget.ANSWER_ONLY),
                hard.stages().stream().map(StageRecipe.Stage::target).toList());
        assertEquals(List.of(true, false, false), hard.stages().stream().map(StageRecipe.Stage::compressAfter).toList());
    }

    @Test
    void fourStageVariantCompressesAgainAfterStageTwo() {
        StageRecipe four = StageRecipe.named("twt-4stage");
        assertEquals(4, four.stages().size());
        assertTrue(four.stage(2).compressAfter());
        assertEquals(StageTarget.COMPRESSED_RATIONALE, four.stage(3).target());
        assertEquals(StageTarget.ANSWER_ONLY, four.stage(4).target());
    }

    @Test
    void stageOneTrainsOnFullRationaleThenAnswer() {
        List<StageRecipe.Example> examples = StageRecipe.hard().examples(StageRecipe.hard().stage(1), rows, 1, Map.of());
        assertEquals(3, examples.size());
        DistillRow first = rows.get(0);
        assertEquals(StudentPrompt.prompt(first.query()), examples.get(0).prompt());
        assertEquals(first.sample().rationale() + "\n#### 4", examples.get(0).completion());
    }

    @Test
    void stageTwoUsesTheCompressedRationaleOfEachRowAndTheOriginalWhereNoneCame() {
        StageRecipe hard = StageRecipe.hard();
        Map<String, String> compressed = Map.of("1:q1:a", "2+2=4");
        List<StageRecipe.Example> examples = hard.examples(hard.stage(2), rows, 1, compressed);
        assertEquals("2+2=4\n#### 4", examples.get(0).completion());
        assertEquals(rows.get(1).sample().rationale() + "\n#### 4", examples.get(1).completion());
    }

    @Test
    void answerOnlyStageKeepsIdenticalExamplesOnce() {
        StageRecipe hard = StageRecipe.hard();
        List<StageRecipe.Example> examples = hard.examples(hard.stage(3), rows, 1, Map.of());
        assertEquals(2, examples.size(), "teachers a and b agree on q1");
        assertEquals("#### 4", examples.get(0).completion());
        assertEquals("#### 5", examples.get(1).completion());
    }

    @Test
    void standardKdIsOneAnswerOnlyStage() {
        StageRecipe kd = StageRecipe.standardKd();
        assertEquals(1, kd.stages().size());
        assertFalse(kd.stage(1).compressAfter());
        assertTrue(kd.examples(kd.stage(1), rows, 1, Map.of()).stream().allMatch(e -> e.completion().startsWith("#### ")));
    }

    @Test
    void stepByStepTrainsLabelAndRationaleAsTwoTasksWeightedAsThePaper() {
        StageRecipe sbs = StageRecipe.stepByStep();
        List<StageRecipe.Example> examples = sbs.examples(sbs.stage(1), rows.subList(0, 1), 1, Map.of());
        String prompt = StudentPrompt.prompt(rows.get(0).query());
        // L = L_label + 1 * L_rationale, each averaged over its own tokens by lm
        assertEquals(List.of(new StageRecipe.Example(prompt, "#### 4", "label", 1.0),
                new StageRecipe.Example(StageRecipe.RATIONALE_TASK_PREFIX + prompt, rows.get(0).sample().rationale(),
                        "rationale", 1.0)), examples);
        List<StageRecipe.Example> halved = sbs.withRationaleWeight(0.5).examples(sbs.stage(1), rows.subList(0, 1), 1, Map.of());
        assertEquals(List.of(1.0, 0.5), halved.stream().map(StageRecipe.Example::taskWeight).toList());
        assertThrows(IllegalArgumentException.class, () -> sbs.withRationaleWeight(-1));
    }

    @Test
    void singleTaskRecipesLeaveTheLossAsTheTokenMean() {
        StageRecipe kd = StageRecipe.standardKd();
        assertTrue(kd.examples(kd.stage(1), rows, 1, Map.of()).stream().allMatch(e -> e.task() == null && e.taskWeight() == null));
    }

    @Test
    void unknownRecipeIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StageRecipe.named("tinyllama"));
        assertTrue(e.getMessage().contains("tinyllama"));
        assertTrue(e.getMessage().contains("select-hard-rejection"));
    }

    @Test
    void everyNamedRecipeIsKnownUnderItsOwnName() {
        StageRecipe.NAMES.forEach(name -> assertEquals(name, StageRecipe.named(name).name()));
    }

    @Test
    void tinyLlmTrainsTheAnswerOnceAndEachTeachersRationaleBehindThatTeachersTag() {
        StageRecipe tiny = StageRecipe.tinyLlm();
        assertEquals(1, tiny.stages().size());
        List<StageRecipe.Example> examples = tiny.examples(tiny.stage(1), rows.subList(0, 2), 1, Map.of());
        String prompt = StudentPrompt.prompt(rows.get(0).query());
        assertEquals(List.of(new StageRecipe.Example(prompt, "#### 4"),
                new StageRecipe.Example("[rationale of a] " + prompt, rows.get(0).sample().rationale()),
                new StageRecipe.Example("[rationale of b] " + prompt, rows.get(1).sample().rationale())), examples,
                "teachers a and b agree on q1's answer, so its label example is there once");
    }

    @Test
    void noCompressionGoesFromFullRationalesStraightToAnswersWithoutDrafts() {
        StageRecipe ablation = StageRecipe.noCompression();
        assertEquals(List.of(StageTarget.FULL_RATIONALE, StageTarget.ANSWER_ONLY),
                ablation.stages().stream().map(StageRecipe.Stage::target).toList());
        assertTrue(ablation.stages().stream().noneMatch(StageRecipe.Stage::compressAfter));
        assertTrue(ablation.examples(ablation.stage(2), rows, 1, Map.of()).stream()
                .allMatch(e -> e.completion().startsWith("#### ")));
    }

    @Test
    void compressionAblationsKeepHardsStagesAndChangeOnlyHowDraftsAreCompressed() {
        assertEquals(CompressionMethod.TEACHER_GUIDED, StageRecipe.hard().compression());
        assertEquals(CompressionMethod.FIXED_LENGTH, StageRecipe.named("twt-fixed-length").compression());
        assertEquals(CompressionMethod.COMPRESSOR, StageRecipe.named("twt-compressor").compression());
        for (String name : List.of("twt-fixed-length", "twt-compressor", "twt-single-teacher", "twt-no-dcrs",
                "select-confidence", "select-logprob", "select-hard-rejection")) {
            assertEquals(StageRecipe.hard().stages(), StageRecipe.named(name).stages(), name);
        }
    }
}
