package io.twt.eval.domain.scoring;

import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.EvalItem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Scores a list of outputs against their examples, code samples in parallel sandboxes, and sums them per task. */
public final class Evaluator {

    private final Scorer scorer;
    private final int parallelism;

    /** @param parallelism sandboxes running at once; each is one Python process tree */
    public Evaluator(Scorer scorer, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.scorer = scorer;
        this.parallelism = parallelism;
    }

    /** One score per task kind present in {@code items}; {@code outputs.get(i)} answers {@code items.get(i)}. */
    public Map<TaskKind, TaskScore> evaluate(List<EvalItem> items, List<ModelOutput> outputs) {
        List<ExampleResult> results = score(items, outputs);
        Map<TaskKind, List<ExampleResult>> byTask = new EnumMap<>(TaskKind.class);
        for (int i = 0; i < items.size(); i++) {
            byTask.computeIfAbsent(items.get(i).task(), task -> new ArrayList<>()).add(results.get(i));
        }
        Map<TaskKind, TaskScore> scores = new EnumMap<>(TaskKind.class);
        byTask.forEach((task, examples) -> scores.put(task, TaskScore.of(task, examples)));
        return scores;
    }

    public List<ExampleResult> score(List<EvalItem> items, List<ModelOutput> outputs) {
        if (items.size() != outputs.size()) {
            throw new IllegalArgumentException(items.size() + " examples but " + outputs.size() + " outputs");
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
            List<Future<ExampleResult>> pending = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                EvalItem item = items.get(i);
                ModelOutput output = outputs.get(i);
                pending.add(pool.submit(() -> scorer.score(item, output.text(), output.outputTokens())));
            }
            List<ExampleResult> results = new ArrayList<>();
            for (Future<ExampleResult> result : pending) {
                results.add(result.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scoring was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scoring failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
