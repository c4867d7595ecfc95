package io.twt.eval.domain.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.twt.common.TaskKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The score of one model on one task's eval set: what {@code twt.eval-reports} carries, and what
 * {@code ./twt eval} prints, with the per-example results.
 *
 * @param metric                  "pass@1" for code, "accuracy" for multiple choice and math
 * @param outputTokenDistribution examples per output-token bucket; the key is the bucket's upper bound
 *                                ("8" = 0..8 tokens), "more" past the last bound
 * @param harnessMetrics          math only: lm-evaluation-harness's GSM8K scores by their names
 *                                ("exact_match,strict-match", "exact_match,flexible-extract"), beside our own
 *                                accuracy (see {@link Gsm8kHarness}); null for other tasks
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskScore(TaskKind task, String metric, double value, int n, double avgOutputTokens,
                        Map<String, Integer> outputTokenDistribution, Map<String, Double> harnessMetrics,
                        List<ExampleResult> examples) {

    /** Upper bounds of the token buckets: powers of two up to the paper's 2048-token generation limit. */
    static final int[] BUCKET_BOUNDS = {8, 16, 32, 64, 128, 256, 512, 1024, 2048};

    public static String metricOf(TaskKind task) {
        return task == TaskKind.CODE ? "pass@1" : "accuracy";
    }

    public static TaskScore of(TaskKind task, List<ExampleResult> examples) {
        int n = examples.size();
        long correct = examples.stream().filter(ExampleResult::correct).count();
        double tokens = examples.stream().mapToInt(ExampleResult::outputTokens).average().orElse(0);
        return new TaskScore(task, metricOf(task), n == 0 ? 0 : (double) correct / n, n, tokens,
                distribution(examples), harness(task, examples), List.copyOf(examples));
    }

    private static Map<String, Double> harness(TaskKind task, List<ExampleResult> examples) {
        if (task != TaskKind.MATH || examples.isEmpty()) {
            return null;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Gsm8kHarness.STRICT_MATCH.metric(), share(examples, e -> Boolean.TRUE.equals(e.strictMatch())));
        metrics.put(Gsm8kHarness.FLEXIBLE_EXTRACT.metric(), share(examples, e -> Boolean.TRUE.equals(e.flexibleExtract())));
        return metrics;
    }

    private static double share(List<ExampleResult> examples, java.util.function.Predicate<ExampleResult> test) {
        return (double) examples.stream().filter(test).count() / examples.size();
    }

    static Map<String, Integer> distribution(List<ExampleResult> examples) {
        Map<String, Integer> buckets = new LinkedHashMap<>();
        for (int bound : BUCKET_BOUNDS) {
            buckets.put(String.valueOf(bound), 0);
        }
        buckets.put("more", 0);
        for (ExampleResult example : examples) {
            buckets.merge(bucketOf(example.outputTokens()), 1, Integer::sum);
        }
        return buckets;
    }

    private static String bucketOf(int tokens) {
        for (int bound : BUCKET_BOUNDS) {
            if (tokens <= bound) {
                return String.valueOf(bound);
            }
        }
        return "more";
    }

    /** The one line {@code ./twt eval} prints, with the harness's GSM8K scores for math. */
    public String summaryLine() {
        String line = String.format(Locale.ROOT, "%s %s = %.2f%% (n=%d), %.1f output tokens on average",
                task.wire(), metric, value * 100, n, avgOutputTokens);
        if (harnessMetrics == null) {
            return line;
        }
        StringBuilder harness = new StringBuilder(line).append("; lm-evaluation-harness gsm8k");
        harnessMetrics.forEach((name, share) -> harness.append(String.format(Locale.ROOT, " %s = %.2f%%", name, share * 100)));
        return harness.toString();
    }
}
