package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rows an experiment's table holds: its own baselines where it scored some on its first N eval queries. */
class EvalReportTest {

    private static EvalReport row(int round, int stage, String model, String experiment, int n) {
        return new EvalReport(SchemaVersion.CURRENT, round, stage, model.equals("student") ? "twt" : null, model,
                TaskKind.MATH, "accuracy", 0.5, n, 3.0, null, null, "base", experiment, experiment == null ? null : "pool-1");
    }

    private static final List<EvalReport> WHOLE_SPLIT = List.of(row(0, 0, "vanilla", null, 40), row(0, 0, "chance", null, 40),
            row(0, 0, "lab-terse", null, 40));

    @Test
    void anExperimentWithoutAnEvalLimitSharesTheWholeSplitsBaselines() {
        List<EvalReport> all = new java.util.ArrayList<>(WHOLE_SPLIT);
        all.add(row(1, 1, "student", "exp-a", 40));
        assertEquals(4, EvalReport.ofExperiment(all, "exp-a").size());
    }

    @Test
    void anExperimentWithAnEvalLimitHasItsOwnBaselinesUnderKeysOfTheirOwn() {
        List<EvalReport> own = List.of(row(2, 1, "student", "exp-b", 5), row(0, 0, "vanilla", "exp-b", 5),
                row(0, 0, "chance", "exp-b", 5), row(0, 0, "lab-terse", "exp-b", 5));
        List<EvalReport> all = new java.util.ArrayList<>(WHOLE_SPLIT);
        all.addAll(own);
        all.add(row(0, 0, "vanilla", "exp-c", 3));
        assertEquals(own, EvalReport.ofExperiment(all, "exp-b"));
        assertNotEquals(WHOLE_SPLIT.get(0).key(), own.get(1).key(), "the compacted topic keeps both vanilla rows");
        assertEquals("0:0:math:vanilla:exp-b", own.get(1).key());
        assertEquals("2:1:math", own.get(0).key(), "a student's key is its round's, as before");
        // the project-wide tables show the whole split's baselines only
        assertEquals(WHOLE_SPLIT.size() + 1, EvalReport.withoutExperimentBaselines(all).size());
        // an experiment without a limit is not handed another's own baselines
        assertEquals(3, EvalReport.ofExperiment(all, "exp-a").size());
    }
}
