package io.twt.eval.domain.student;

import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.eval.domain.scoring.TaskScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one student (base model plus optional adapter) on the eval set of every task kind: prompts in
 * the training format ({@link StudentPrompt}), generation in batches, then scoring.
 */
public final class VersionEvaluator {

    private final Map<TaskKind, List<EvalItem>> evalSets;
    private final StudentLoader loader;
    private final Evaluator evaluator;
    private final int batchSize;

    public VersionEvaluator(Map<TaskKind, List<EvalItem>> evalSets, StudentLoader loader, Evaluator evaluator, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
        }
        this.evalSets = evalSets;
        this.loader = loader;
        this.evaluator = evaluator;
        this.batchSize = batchSize;
    }

    public Map<TaskKind, List<EvalItem>> evalSets() {
        return evalSets;
    }

    public Map<TaskKind, TaskScore> evaluate(Path baseModel, Path adapterOrNull) {
        Map<TaskKind, TaskScore> scores = new EnumMap<>(TaskKind.class);
        try (Student student = loader.load(baseModel, adapterOrNull)) {
            evalSets.forEach((task, items) -> {
                List<ModelOutput> outputs = generate(student, items);
                scores.put(task, TaskScore.of(task, evaluator.score(items, outputs)));
            });
        }
        return scores;
    }

    private List<ModelOutput> generate(Student student, List<EvalItem> items) {
        List<ModelOutput> outputs = new ArrayList<>();
        for (int start = 0; start < items.size(); start += batchSize) {
            List<String> prompts = items.subList(start, Math.min(items.size(), start + batchSize)).stream()
                    .map(item -> StudentPrompt.prompt(item.query())).toList();
            outputs.addAll(student.generate(prompts));
        }
        return outputs;
    }
}
