package io.twt.eval.domain.model;

import io.twt.common.GenerationCap;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.scoring.ChanceBaseline;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.eval.domain.scoring.TaskScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Evaluates one student (base model plus optional adapter) on the eval set of every task kind: prompts in
 * the training format ({@link StudentPrompt}), generation in batches under a {@link GenerationCap}, then scoring.
 */
public final class VersionEvaluator {

    private final Map<TaskKind, List<EvalItem>> evalSets;
    private final ModelLoader loader;
    private final Evaluator evaluator;
    private final int batchSize;
    private final GenerationCap cap;

    public VersionEvaluator(Map<TaskKind, List<EvalItem>> evalSets, ModelLoader loader, Evaluator evaluator, int batchSize,
                            GenerationCap cap) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
        }
        this.evalSets = evalSets;
        this.loader = loader;
        this.evaluator = evaluator;
        this.batchSize = batchSize;
        this.cap = cap;
    }

    public Map<TaskKind, List<EvalItem>> evalSets() {
        return evalSets;
    }

    /**
     * The same evaluator on the first {@code limit} items of each task's eval set, in the set's order (the lab's
     * seeded split, or a dataset file's line order): what an experiment with an eval limit scores every row on, so
     * its students, vanilla, chance and teachers share the same ids. Null: this one, on the whole sets.
     */
    public VersionEvaluator limitedTo(Integer limit) {
        if (limit == null) {
            return this;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("an eval limit is at least 1, got " + limit);
        }
        Map<TaskKind, List<EvalItem>> first = new EnumMap<>(TaskKind.class);
        evalSets.forEach((task, items) -> first.put(task, List.copyOf(items.subList(0, Math.min(limit, items.size())))));
        return new VersionEvaluator(first, loader, evaluator, batchSize, cap);
    }

    /** The query ids of each task's eval set, in order. */
    public Map<TaskKind, List<String>> evalIds() {
        Map<TaskKind, List<String>> ids = new EnumMap<>(TaskKind.class);
        evalSets.forEach((task, items) -> ids.put(task, items.stream().map(item -> item.query().id()).toList()));
        return ids;
    }

    /**
     * A trained version.
     *
     * @param servedName          its adapter's name at a student endpoint ({@code ModelVersion.servedName})
     * @param maxCompletionTokens its stage's longest training completion, which caps generation; null when unknown
     */
    public Map<TaskKind, TaskScore> evaluate(Path baseModel, Path adapterOrNull, String servedName, Integer maxCompletionTokens) {
        Integer completionCap = maxCompletionTokens == null ? null : cap.fromCompletion(maxCompletionTokens);
        return evaluate(baseModel, adapterOrNull, servedName, student -> completionCap);
    }

    /**
     * The base model without adapter. It trained on none of our completions, so unless a limit is given it is
     * capped as if it had trained on the eval set's gold answers alone.
     */
    public Map<TaskKind, TaskScore> evaluateVanilla(Path baseModel, OptionalInt maxNewTokens) {
        return evaluate(baseModel, null, null, student -> maxNewTokens.isPresent() ? maxNewTokens.getAsInt()
                : cap.fromCompletion(longestGoldCompletion(student)));
    }

    /** The chance row on the same eval sets; {@code countTokens} is the student's tokenizer. */
    public Map<TaskKind, TaskScore> evaluateChance(ToIntFunction<String> countTokens) {
        return ChanceBaseline.score(evalSets, evaluator, countTokens);
    }

    /** The eval set's longest answer-only completion ("#### y"), in the student's tokens. */
    private int longestGoldCompletion(EvaluatedModel student) {
        return evalSets.values().stream().flatMap(List::stream).filter(item -> item.query().gold() != null)
                .mapToInt(item -> student.countTokens(StudentPrompt.completion(null, item.query().gold())))
                .max().orElse(0);
    }

    /** @param completionCapOf the completion-derived cap for the loaded student, null for none */
    private Map<TaskKind, TaskScore> evaluate(Path baseModel, Path adapterOrNull, String servedName,
                                              Function<EvaluatedModel, Integer> completionCapOf) {
        Map<TaskKind, TaskScore> scores = new EnumMap<>(TaskKind.class);
        try (EvaluatedModel student = loader.load(baseModel, adapterOrNull, servedName)) {
            Integer completionCap = completionCapOf.apply(student);
            evalSets.forEach((task, items) -> {
                List<ModelOutput> outputs = generate(student, items, completionCap);
                scores.put(task, TaskScore.of(task, evaluator.score(items, outputs)));
            });
        }
        return scores;
    }

    private List<ModelOutput> generate(EvaluatedModel student, List<EvalItem> items, Integer completionCap) {
        List<ModelOutput> outputs = new ArrayList<>();
        for (int start = 0; start < items.size(); start += batchSize) {
            List<String> prompts = items.subList(start, Math.min(items.size(), start + batchSize)).stream()
                    .map(item -> StudentPrompt.prompt(item.query())).toList();
            // special tokens (a BOS) aside; the generator itself stops where the context is full
            int longestPrompt = prompts.stream().mapToInt(student::countTokens).max().orElse(0);
            outputs.addAll(student.generate(prompts, cap.forBatch(student.contextTokens(), longestPrompt, completionCap)));
        }
        return outputs;
    }
}
