package io.twt.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The demo's sizes, in one place: what fits the time budget on 2 cores, {@code --quick} in 5 minutes (a smoke base
 * student), the default in 20.
 *
 * @param queries         lab training queries pushed, split over the task kinds as {@link LabQueryMix#DEMO}
 * @param evalLimit       eval queries scored per task kind ({@code twt.eval.limit})
 * @param labBaseSpec     the base student's spec; empty for the launcher's ({@code TWT_LAB_BASE_SPEC})
 * @param decisionTimeout how long DCRS may take to decide every pushed query
 * @param roundTimeout    how long the three stages and their evaluation may take
 */
public record DemoSizes(int queries, int evalLimit, Optional<String> labBaseSpec, Duration decisionTimeout, Duration roundTimeout) {

    /** Rounds start only when the demo asks, once DCRS has decided every query it pushed. */
    public static final int ROUND_MIN_NEW_QUERIES = 1_000_000;

    public static DemoSizes quick() {
        return new DemoSizes(60, 15, Optional.of("smoke"), Duration.ofMinutes(3), Duration.ofMinutes(8));
    }

    /** 80 eval queries per kind: at 40 a row moves by about 8 points with the queries drawn (bench/learning/README.md). */
    static DemoSizes full() {
        return new DemoSizes(1650, 80, Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(25));
    }

    /** Other queries; more of them get proportionally longer to be decided and trained on. */
    DemoSizes withQueries(int other) {
        double scale = Math.max(1.0, (double) other / queries);
        return new DemoSizes(other, evalLimit, labBaseSpec, scaled(decisionTimeout, scale), scaled(roundTimeout, scale));
    }

    private static Duration scaled(Duration timeout, double scale) {
        return Duration.ofMillis(Math.round(timeout.toMillis() * scale));
    }

    /** The services' settings for these sizes: eval-service's limit, the trainer's round trigger and, if given, seed. */
    public Map<Service, Map<String, String>> settings(OptionalLong trainingSeed) {
        Map<String, String> trainer = new LinkedHashMap<>();
        trainer.put("TWT_TRAINER_ROUND_MIN_NEW_QUERIES", String.valueOf(ROUND_MIN_NEW_QUERIES));
        trainingSeed.ifPresent(seed -> trainer.put("TWT_TRAINER_TRAINING_SEED", String.valueOf(seed)));
        return Map.of(Service.EVAL_SERVICE, Map.of("TWT_EVAL_LIMIT", String.valueOf(evalLimit)),
                Service.TRAINER_SERVICE, trainer);
    }
}
