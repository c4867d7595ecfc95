package io.twt.trainer.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.twt.common.CompressionMethod;
import io.twt.common.StudentPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A distillation recipe: its stages, in order, each continuing from the previous stage's weights with fresh
 * optimizer state, and how its rationales are compressed between stages. The paper's HaRD (section 3.2) has three;
 * the four-stage variant (table 3) compresses a second time after stage 2; Standard KD, Distilling step-by-step and
 * TinyLLM are the single-stage baselines of table 1; the rest are the ablations of tables 5, 6 and 7, whose
 * training data differ from HaRD's by selection ({@link PoolSelection}) or compression alone.
 *
 * @param compression     how the student's drafts are compressed: teacher-guided (HaRD), fixed-length or compressor
 * @param rationaleWeight step-by-step's lambda in L = L_label + lambda * L_rationale, each task's loss averaged over
 *                        its own tokens (lm's TaskMeans); the other recipes train one task
 */
public record StageRecipe(String name, List<Stage> stages, CompressionMethod compression, double rationaleWeight) {

    /** The task prefix of step-by-step's rationale task; its label task uses the plain student prompt, as eval does. */
    public static final String RATIONALE_TASK_PREFIX = "[rationale] ";

    /** Step-by-step's two tasks, as the loss tells them apart. */
    public static final String LABEL_TASK = "label";
    public static final String RATIONALE_TASK = "rationale";

    /** Hsieh et al. 2023 weigh the rationale task as the label task: lambda = 1. */
    public static final double PAPER_RATIONALE_WEIGHT = 1.0;

    public StageRecipe {
        if (!(rationaleWeight >= 0) || Double.isInfinite(rationaleWeight)) {
            throw new IllegalArgumentException("a rationale weight is a finite number >= 0, got " + rationaleWeight);
        }
    }

    public StageRecipe(String name, List<Stage> stages, CompressionMethod compression) {
        this(name, stages, compression, PAPER_RATIONALE_WEIGHT);
    }

    /** The same recipe with step-by-step's lambda set. */
    public StageRecipe withRationaleWeight(double weight) {
        return new StageRecipe(name, stages, compression, weight);
    }

    /** Every recipe {@link #named} knows, in the order the paper's tables list them. */
    public static final List<String> NAMES = List.of("twt", "twt-4stage", "standard-kd", "step-by-step", "tinyllm",
            "twt-single-teacher", "twt-no-dcrs", "twt-no-compression", "twt-fixed-length", "twt-compressor",
            "select-confidence", "select-logprob", "select-hard-rejection");

    /**
     * @param compressAfter whether the student drafts G's queries after this stage, for compression
     */
    public record Stage(int number, StageTarget target, boolean compressAfter) {
    }

    public static StageRecipe hard() {
        return hard("twt", CompressionMethod.TEACHER_GUIDED);
    }

    /** HaRD's three stages under another name: an ablation that changes the data or the compression, not the stages. */
    private static StageRecipe hard(String name, CompressionMethod compression) {
        return new StageRecipe(name, List.of(
                new Stage(1, StageTarget.FULL_RATIONALE, true),
                new Stage(2, StageTarget.COMPRESSED_RATIONALE, false),
                new Stage(3, StageTarget.ANSWER_ONLY, false)), compression);
    }

    public static StageRecipe hardFourStages() {
        return new StageRecipe("twt-4stage", List.of(
                new Stage(1, StageTarget.FULL_RATIONALE, true),
                new Stage(2, StageTarget.COMPRESSED_RATIONALE, true),
                new Stage(3, StageTarget.COMPRESSED_RATIONALE, false),
                new Stage(4, StageTarget.ANSWER_ONLY, false)), CompressionMethod.TEACHER_GUIDED);
    }

    public static StageRecipe standardKd() {
        return single("standard-kd", StageTarget.ANSWER_ONLY);
    }

    public static StageRecipe stepByStep() {
        return single("step-by-step", StageTarget.ANSWER_AND_RATIONALE_TASKS);
    }

    public static StageRecipe tinyLlm() {
        return single("tinyllm", StageTarget.ANSWER_AND_TEACHER_RATIONALES);
    }

    /** Table 7, w/o the compression distillation stage: full rationales, then straight to answers. */
    public static StageRecipe noCompression() {
        return new StageRecipe("twt-no-compression", List.of(
                new Stage(1, StageTarget.FULL_RATIONALE, false),
                new Stage(2, StageTarget.ANSWER_ONLY, false)), CompressionMethod.TEACHER_GUIDED);
    }

    private static StageRecipe single(String name, StageTarget target) {
        return new StageRecipe(name, List.of(new Stage(1, target, false)), CompressionMethod.TEACHER_GUIDED);
    }

    public static StageRecipe named(String name) {
        return switch (name) {
            case "twt" -> hard();
            case "twt-4stage" -> hardFourStages();
            case "standard-kd" -> standardKd();
            case "step-by-step" -> stepByStep();
            case "tinyllm" -> tinyLlm();
            case "twt-no-compression" -> noCompression();
            case "twt-fixed-length" -> hard(name, CompressionMethod.FIXED_LENGTH);
            case "twt-compressor" -> hard(name, CompressionMethod.COMPRESSOR);
            case "twt-single-teacher", "twt-no-dcrs", "select-confidence", "select-logprob", "select-hard-rejection" ->
                    hard(name, CompressionMethod.TEACHER_GUIDED);
            default -> throw new IllegalArgumentException("unknown recipe '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** The teacher-rationale task's prefix in TinyLLM: which teacher's reasoning the student is asked for. */
    public static String teacherRationalePrefix(String teacher) {
        return "[rationale of " + teacher + "] ";
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
                    examples.putIfAbsent(new Example(prompt, StudentPrompt.completion(null, answer), LABEL_TASK, 1.0), row);
                    examples.putIfAbsent(new Example(RATIONALE_TASK_PREFIX + prompt, row.sample().rationale().strip(),
                            RATIONALE_TASK, rationaleWeight), row);
                }
                case ANSWER_AND_TEACHER_RATIONALES -> {
                    examples.putIfAbsent(new Example(prompt, StudentPrompt.completion(null, answer)), row);
                    examples.putIfAbsent(new Example(teacherRationalePrefix(row.teacher()) + prompt,
                            row.sample().rationale().strip()), row);
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

    /**
     * One prompt/completion pair; the loss counts the completion only.
     *
     * @param task       its task where the stage trains several with their own loss weights (step-by-step); null for one
     * @param taskWeight that task's weight in the loss, each task averaged over its own tokens; null with no task
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Example(String prompt, String completion, String task, Double taskWeight) {

        public Example(String prompt, String completion) {
            this(prompt, completion, null, null);
        }
    }

    /** An example and the row of G it was made from. */
    public record SourcedExample(Example example, DistillRow row) {
    }
}
