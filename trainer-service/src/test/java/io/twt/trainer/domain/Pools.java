package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.Rejection;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hand-made pool for the experiment tests: three teachers on three math queries with gold 4.
 * <ul>
 *   <li>m1: a 4 (c 0.97, logprob -0.01), b 4 (0.96, -0.30), c 5 (0.50, -0.02); DCRS selected a and b</li>
 *   <li>m2: a 5 (0.98, -0.01), b 4 (0.40, -0.01), c 4 (0.30, -0.50); DCRS selected a</li>
 *   <li>m3: a failed, b 4 (0.10, -0.9), c 4 (0.20, -0.9); DCRS rejected it (all low confidence)</li>
 *   <li>e1: an eval query, a 4 (0.99), selected by DCRS: never in the pool</li>
 * </ul>
 */
final class Pools {

    private Pools() {
    }

    static Query query(String id, QueryPurpose purpose) {
        return Query.of(id, TaskKind.MATH, "What is 2 + 2? (" + id + ")", null, null, "test", "4").withPurpose(purpose);
    }

    static TeacherOutput ok(Query query, String teacher, String answer, double confidence, double logprob) {
        return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, 3, TeacherStatus.OK,
                teacher + " reasons about " + query.id(), answer, Map.of(), confidence, Usage.NONE, 1, 1, null, null, 0, logprob);
    }

    static TeacherOutput failed(Query query, String teacher) {
        return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, 3, TeacherStatus.FAILED, null, null,
                Map.of(), 0, Usage.NONE, 1, 3, "HTTP 503");
    }

    static DistillSampleSet selected(Query query, TeacherOutput... outputs) {
        List<DistillSample> samples = new ArrayList<>();
        for (TeacherOutput output : outputs) {
            samples.add(new DistillSample(output.teacher(), output.rationale(), output.answer(), output.confidence()));
        }
        return new DistillSampleSet(SchemaVersion.CURRENT, query.id(), query, samples, null, samples.size(), 3);
    }

    static PoolSnapshot pool(String id) {
        Query m1 = query("m1", null);
        Query m2 = query("m2", QueryPurpose.DISTIL);
        Query m3 = query("m3", null);
        Query e1 = query("e1", QueryPurpose.EVAL);
        TeacherOutput m1a = ok(m1, "a", "4", 0.97, -0.01);
        TeacherOutput m1b = ok(m1, "b", "4", 0.96, -0.30);
        TeacherOutput m2a = ok(m2, "a", "5", 0.98, -0.01);
        TeacherOutput e1a = ok(e1, "a", "4", 0.99, -0.01);
        List<TeacherOutput> outputs = List.of(m1a, m1b, ok(m1, "c", "5", 0.50, -0.02),
                m2a, ok(m2, "b", "4", 0.40, -0.01), ok(m2, "c", "4", 0.30, -0.50),
                failed(m3, "a"), ok(m3, "b", "4", 0.10, -0.9), ok(m3, "c", "4", 0.20, -0.9), e1a);
        return PoolSnapshot.take(id, Instant.parse("2026-12-01T00:00:00Z"), outputs,
                List.of(selected(m2, m2a), selected(m1, m1a, m1b), selected(e1, e1a)),
                List.of(new Rejection(SchemaVersion.CURRENT, "m3", Rejection.Reason.ALL_LOW_CONFIDENCE, "low")));
    }
}
