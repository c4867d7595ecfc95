package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.RationaleEmbedding;
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
 * No output was embedded live; the pool's embedder gives every rationale the same vector.
 * {@link #diverse} adds two queries where three outputs pass a criterion, so that the diversity step chooses.
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
        return pool(id, List.of(), List.of(), List.of(), texts -> texts.stream().map(text -> new float[] {1, 0}).toList());
    }

    /**
     * {@link #pool} and, all with answer 4 (gold), embeddings (x, y):
     * <ul>
     *   <li>m4: a (c 0.99, logprob -0.01, (1, 0)), b (0.98, -0.01, (0.8, 0.6)), c (0.97, -0.01, (0, 1)), embedded live
     *       since all were kept; DCRS selected the least similar pair a and c</li>
     *   <li>m5: a (0.97, -0.01, (1, 0)) embedded live, b (0.50, -0.01) and c (0.40, -0.02) below the confidence
     *       threshold, so not embedded live: the embedder gives b (0.6, 0.8) and c (0.8, 0.6); DCRS selected a</li>
     * </ul>
     *
     * @param asked collects the rationales the embedder was asked for
     */
    static PoolSnapshot diverse(String id, List<String> asked) {
        Query m4 = query("m4", null);
        Query m5 = query("m5", null);
        TeacherOutput m4a = ok(m4, "a", "4", 0.99, -0.01);
        TeacherOutput m4b = ok(m4, "b", "4", 0.98, -0.01);
        TeacherOutput m4c = ok(m4, "c", "4", 0.97, -0.01);
        TeacherOutput m5a = ok(m5, "a", "4", 0.97, -0.01);
        Map<String, float[]> embedderVectors = Map.of(
                "b reasons about m5", new float[] {0.6f, 0.8f}, "c reasons about m5", new float[] {0.8f, 0.6f});
        return pool(id, List.of(m4a, m4b, m4c, m5a, ok(m5, "b", "4", 0.50, -0.01), ok(m5, "c", "4", 0.40, -0.02)),
                List.of(selected(m4, m4a, m4c), selected(m5, m5a)),
                List.of(live(m4a, 1, 0), live(m4b, 0.8f, 0.6f), live(m4c, 0, 1), live(m5a, 1, 0)),
                texts -> {
                    asked.addAll(texts);
                    return texts.stream().map(text -> embedderVectors.getOrDefault(text, new float[] {1, 1})).toList();
                });
    }

    private static RationaleEmbedding live(TeacherOutput output, float x, float y) {
        return new RationaleEmbedding(SchemaVersion.CURRENT, output.queryId(), output.teacher(), "test-model", new float[] {x, y});
    }

    private static PoolSnapshot pool(String id, List<TeacherOutput> moreOutputs, List<DistillSampleSet> moreSelected,
                                     List<RationaleEmbedding> embeddings, PoolSnapshot.Embedder embedder) {
        Query m1 = query("m1", null);
        Query m2 = query("m2", QueryPurpose.DISTIL);
        Query m3 = query("m3", null);
        Query e1 = query("e1", QueryPurpose.EVAL);
        TeacherOutput m1a = ok(m1, "a", "4", 0.97, -0.01);
        TeacherOutput m1b = ok(m1, "b", "4", 0.96, -0.30);
        TeacherOutput m2a = ok(m2, "a", "5", 0.98, -0.01);
        TeacherOutput e1a = ok(e1, "a", "4", 0.99, -0.01);
        List<TeacherOutput> outputs = new ArrayList<>(List.of(m1a, m1b, ok(m1, "c", "5", 0.50, -0.02),
                m2a, ok(m2, "b", "4", 0.40, -0.01), ok(m2, "c", "4", 0.30, -0.50),
                failed(m3, "a"), ok(m3, "b", "4", 0.10, -0.9), ok(m3, "c", "4", 0.20, -0.9), e1a));
        outputs.addAll(moreOutputs);
        List<DistillSampleSet> selected = new ArrayList<>(List.of(selected(m2, m2a), selected(m1, m1a, m1b), selected(e1, e1a)));
        selected.addAll(moreSelected);
        return PoolSnapshot.take(id, Instant.parse("2026-12-01T00:00:00Z"), outputs, selected,
                List.of(new Rejection(SchemaVersion.CURRENT, "m3", Rejection.Reason.ALL_LOW_CONFIDENCE, "low")),
                embeddings, embedder);
    }
}
