package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pool frozen for an experiment: every teacher output of the distillation queries DCRS had decided when it was
 * taken, with DCRS's decision for each (its samples, or the reason it rejected the query). Every recipe of the
 * experiment selects its training rows from this one pool ({@link PoolSelection}), so they differ by recipe alone.
 * Eval queries never enter it: students are scored on them.
 *
 * @param queries sorted by query id, so the same pool always gives the same rows in the same order
 */
public record PoolSnapshot(String id, Instant takenAt, List<PooledQuery> queries) {

    /**
     * One decided query.
     *
     * @param outputs  its teachers' outputs, one per teacher (a re-drive's replacing the earlier one), by teacher name
     * @param selected DCRS's samples; empty when the query was rejected
     * @param rejected DCRS's reason for rejecting it; null when it was selected
     */
    public record PooledQuery(Query query, List<TeacherOutput> outputs, List<DistillSample> selected, Rejection.Reason rejected) {
    }

    /**
     * The pool from what the topics hold: outputs of queries with a decision, the latest ask of each teacher.
     * Outputs of undecided queries wait for a later snapshot; decisions whose outputs are gone (topic retention)
     * keep the selected samples and no outputs.
     */
    public static PoolSnapshot take(String id, Instant takenAt, Collection<TeacherOutput> outputs,
                                    Collection<DistillSampleSet> selected, Collection<Rejection> rejections) {
        Map<String, Map<String, TeacherOutput>> byQuery = new TreeMap<>();
        for (TeacherOutput output : outputs) {
            if (output.query().forEvaluation()) {
                continue;
            }
            byQuery.computeIfAbsent(output.queryId(), k -> new TreeMap<>()).merge(output.teacher(), output,
                    (earlier, later) -> later.redrive() >= earlier.redrive() ? later : earlier);
        }
        List<PooledQuery> queries = new ArrayList<>();
        for (DistillSampleSet set : selected) {
            if (!set.query().forEvaluation()) {
                queries.add(new PooledQuery(set.query(), outputsOf(byQuery, set.queryId()), set.samples(), null));
            }
        }
        for (Rejection rejection : rejections) {
            List<TeacherOutput> rejectedOutputs = outputsOf(byQuery, rejection.queryId());
            // a rejected query is known by its outputs alone; without them it has nothing to offer any recipe
            if (!rejectedOutputs.isEmpty()) {
                queries.add(new PooledQuery(rejectedOutputs.get(0).query(), rejectedOutputs, List.of(), rejection.reason()));
            }
        }
        queries.sort(Comparator.comparing(pooled -> pooled.query().id()));
        return new PoolSnapshot(id, takenAt, List.copyOf(queries));
    }

    private static List<TeacherOutput> outputsOf(Map<String, Map<String, TeacherOutput>> byQuery, String queryId) {
        return List.copyOf(byQuery.getOrDefault(queryId, Map.of()).values());
    }

    /** Teacher outputs in the pool. */
    public int outputCount() {
        return queries.stream().mapToInt(pooled -> pooled.outputs().size()).sum();
    }
}
