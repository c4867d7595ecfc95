package io.twt.trainer.domain;

import io.twt.common.StudentPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A distillation recipe: its stages, in order, each continuing from the previous stage's weights with fresh
 * optimizer state. The paper's HaRD (section 3.2) has three; the four-stage variant (table 3) compresses a
 * second time after stage 2; Standard KD and Distilling step-by-step are the single-stage baselines of table 1.
 */
public record StageRecipe(String name, List<Stage> stages) {

    /** The task prefix of step-by-step's rationale task; its label task uses the plain student prompt, as eval does. */
    public static final String RATIONALE_TASK_PREFIX = "[rationale] ";

    /**
     * @param compressAfter whether the student drafts G's queries after this stage, for compression
     */
    public record Stage(int number, StageTarget target, boolean compressAfter) {
    }

    public static StageRecipe hard() {
        return new StageRecipe("twt", List.of(
                new Stage(1, StageTarget.FULL_RATIONALE, true),
                new Stage(2, StageTarget.COMPRESSED_RATIONALE, false),
                new Stage(3, StageTarget.ANSWER_ONLY, false)));
    }

    public static StageRecipe hardFourStages() {
        return new StageRecipe("twt-4stage", List.of(
                new Stage(1, StageTarget.FULL_RATIONALE, true),
                new Stage(2, StageTarget.COMPRESSED_RATIONALE, true),
                new Stage(3, StageTarget.COMPRESSED_RATIONALE, false),
                new Stage(4, StageTarget.ANSWER_ONLY, false)));
    }

    public static StageRecipe standardKd() {
        return new StageRecipe("standard-kd", List.of(new Stage(1, StageTarget.ANSWER_ONLY, false)));
    }

    public static StageRecipe stepByStep() {
        return new StageRecipe("step-by-step", List.of(new Stage(1, StageTarget.ANSWER_AND_RATIONALE_TASKS, false)));
    }

    public static StageRecipe named(String name) {
        return switch (name) {
            case "twt" -> hard();
            case "twt-4stage" -> hardFourStages();
            case "standard-kd" -> standardKd();
            case "step-by-step" -> stepByStep();
            default -> throw new IllegalArgumentException("unknown recipe '" + name
                    + "' (expected twt, twt-4stage, standard-kd or step-by-step)");
        };
    }

    public Stage stage(int number) {
        return stages.get(number - 1);
    }

    /**
     * The stage's training examples from G's rows; {@code compressed} maps draft keys to the rationales of the
     * last compression (a row without one keeps its original rationale). Identical examples (two teachers with
     * the same answer in an answer-only stage) are kept once.
     */
    public List<Example> examples(Stage stage, List<DistillRow> rows, int round, Map<String, String> compressed) {
        return sourcedExamples(stage, rows, round, compressed).stream().map(SourcedExample::example).toList();
    }

    /** The same examples, each with the first row it came from (its query, teacher and confidence). */
    public List<SourcedExample> sourcedExamples(Stage stage, List<DistillRow> rows, int round, Map<String, String> compressed) {
        Map<Example, DistillRow> examples = new LinkedHashMap<>();
        for (DistillRow row : rows) {
            String prompt = StudentPrompt.prompt(row.query());
            String answer = row.sample().answer();
            switch (stage.target()) {
                case FULL_RATIONALE -> examples.putIfAbsent(new Example(prompt, StudentPrompt.completion(row.sample().rationale(), answer)), row);
                case COMPRESSED_RATIONALE -> examples.putIfAbsent(new Example(prompt, StudentPrompt.completion(
                        compressed.getOrDefault(row.draftKey(round), row.sample().rationale()), answer)), row);
                case ANSWER_ONLY -> examples.putIfAbsent(new Example(prompt, StudentPrompt.completion(null, answer)), row);
                case ANSWER_AND_RATIONALE_TASKS -> {
                    examples.putIfAbsent(new Example(prompt, StudentPrompt.completion(null, answer)), row);
                    examples.putIfAbsent(new Example(RATIONALE_TASK_PREFIX + prompt, row.sample().rationale().strip()), row);
                }
            }
        }
        List<SourcedExample> sourced = new ArrayList<>();
        examples.forEach((example, row) -> sourced.add(new SourcedExample(example, row)));
        return sourced;
    }

    /** The stage whose compression pass gave a stage its rationales: the last one before it that compresses, or none. */
    public Optional<Stage> compressionBefore(Stage stage) {
        Stage last = null;
        for (Stage earlier : stages.subList(0, stage.number() - 1)) {
            if (earlier.compressAfter()) {
                last = earlier;
            }
        }
        return Optional.ofNullable(last);
    }

    /** One prompt/completion pair; the loss counts the completion only. */
    public record Example(String prompt, String completion) {
    }

    /** An example and the row of G it was made from. */
    public record SourcedExample(Example example, DistillRow row) {
    }
}
