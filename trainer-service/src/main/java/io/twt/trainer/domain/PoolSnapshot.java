package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.RationaleEmbedding;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
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
     * @param outputs    its teachers' outputs, one per teacher (a re-drive's replacing the earlier one), by teacher name
     * @param selected   DCRS's samples; empty when the query was rejected
     * @param rejected   DCRS's reason for rejecting it; null when it was selected
     * @param embeddings the rationale embedding of each OK output, by teacher, for the diversity step of the table-5
     *                   selections; empty in pools taken before they were kept
     */
    public record PooledQuery(Query query, List<TeacherOutput> outputs, List<DistillSample> selected, Rejection.Reason rejected,
                              Map<String, float[]> embeddings) {

        public PooledQuery {
            // by teacher name, so a pool's JSON is the same for the same pool
            embeddings = embeddings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(embeddings));
        }
    }

    /**
     * Sentence embeddings of rationales, in order; the same model as embedding-service's stream. A pool asks it
     * for the OK outputs that were not embedded live (embedding-service embeds the confidently kept ones only),
     * so that every selection's diversity step finds its vectors in the frozen pool.
     */
    @FunctionalInterface
    public interface Embedder {
        List<float[]> embed(List<String> texts);
    }

    /**
     * The pool from what the topics hold: outputs of queries with a decision, the latest ask of each teacher.
     * Outputs of undecided queries wait for a later snapshot; decisions whose outputs are gone (topic retention)
     * keep the selected samples and no outputs. Every OK output gets its embedding: the one DCRS used, from
     * {@code embeddings}, else the embedder's.
     */
    public static PoolSnapshot take(String id, Instant takenAt, Collection<TeacherOutput> outputs,
                                    Collection<DistillSampleSet> selected, Collection<Rejection> rejections,
                                    Collection<RationaleEmbedding> embeddings, Embedder embedder) {
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
                queries.add(new PooledQuery(set.query(), outputsOf(byQuery, set.queryId()), set.samples(), null, Map.of()));
            }
        }
        for (Rejection rejection : rejections) {
            List<TeacherOutput> rejectedOutputs = outputsOf(byQuery, rejection.queryId());
            // a rejected query is known by its outputs alone; without them it has nothing to offer any recipe
            if (!rejectedOutputs.isEmpty()) {
                queries.add(new PooledQuery(rejectedOutputs.get(0).query(), rejectedOutputs, List.of(), rejection.reason(), Map.of()));
            }
        }
        queries.sort(Comparator.comparing(pooled -> pooled.query().id()));
        return new PoolSnapshot(id, takenAt, withEmbeddings(queries, embeddings, embedder));
    }

    private static List<PooledQuery> withEmbeddings(List<PooledQuery> queries, Collection<RationaleEmbedding> live,
                                                    Embedder embedder) {
        Map<String, float[]> byKey = new HashMap<>();
        live.forEach(embedding -> byKey.put(embedding.queryId() + ":" + embedding.teacher(), embedding.vector()));
        List<TeacherOutput> missing = queries.stream().flatMap(pooled -> pooled.outputs().stream())
                .filter(output -> output.status() == TeacherStatus.OK && !byKey.containsKey(keyOf(output))).toList();
        if (!missing.isEmpty()) {
            List<float[]> vectors = embedder.embed(missing.stream().map(TeacherOutput::rationale).toList());
            for (int i = 0; i < missing.size(); i++) {
                byKey.put(keyOf(missing.get(i)), vectors.get(i));
            }
        }
        return queries.stream().map(pooled -> {
            Map<String, float[]> vectors = new TreeMap<>();
            pooled.outputs().stream().filter(output -> byKey.containsKey(keyOf(output)))
                    .forEach(output -> vectors.put(output.teacher(), byKey.get(keyOf(output))));
            return new PooledQuery(pooled.query(), pooled.outputs(), pooled.selected(), pooled.rejected(), vectors);
        }).toList();
    }

    private static String keyOf(TeacherOutput output) {
        return output.queryId() + ":" + output.teacher();
    }

    private static List<TeacherOutput> outputsOf(Map<String, Map<String, TeacherOutput>> byQuery, String queryId) {
        return List.copyOf(byQuery.getOrDefault(queryId, Map.of()).values());
    }

    /** Teacher outputs in the pool. */
    public int outputCount() {
        return queries.stream().mapToInt(pooled -> pooled.outputs().size()).sum();
    }
}
