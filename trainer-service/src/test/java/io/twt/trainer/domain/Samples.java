package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import java.util.List;

/** Distillation records for tests: a math query with one sample per named teacher. */
final class Samples {

    private Samples() {
    }

    static DistillSampleSet set(String queryId, String... teachers) {
        Query query = Query.of(queryId, TaskKind.MATH, "What is 2 + " + queryId.length() + "?", null, null, "test", null);
        List<DistillSample> samples = java.util.Arrays.stream(teachers)
                .map(t -> new DistillSample(t, "Teacher " + t + " adds 2 and " + queryId.length() + " step by step, carefully.",
                        String.valueOf(2 + queryId.length()), 0.97))
                .toList();
        return new DistillSampleSet(SchemaVersion.CURRENT, queryId, query, samples, null, samples.size(), 3);
    }
}
