package io.twt.common.selection;

import io.twt.common.TeacherOutput;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DCRS's diversity step (paper eq. 2-3), run after a {@link QualityCriterion} on one query's kept outputs: two or
 * fewer are all kept; of three or more, the two whose rationale embeddings are least alike. The one code both the
 * live sampler-service and an experiment's table-5 selections run, so they differ by quality criterion alone.
 *
 * @param chosen        the outputs kept, in the kept list's order
 * @param minSimilarity the chosen pair's cosine similarity; null when no choice was needed
 */
public record DiversityStep(List<TeacherOutput> chosen, Double minSimilarity) {

    /** Fewer kept outputs than this are all kept: there is no pair to choose. */
    public static final int CHOOSES_FROM = 3;

    public static boolean needsEmbeddings(int keptCount) {
        return keptCount >= CHOOSES_FROM;
    }

    /**
     * The outputs to distil from among {@code kept}. With three or more, only those with an embedding (by teacher)
     * take part in the pair, and there must be two such; the caller decides whether to wait for the rest.
     */
    public static DiversityStep choose(List<TeacherOutput> kept, Map<String, float[]> embeddingsByTeacher) {
        if (!needsEmbeddings(kept.size())) {
            return new DiversityStep(List.copyOf(kept), null);
        }
        Map<String, float[]> keptEmbeddings = new TreeMap<>();
        kept.stream().filter(output -> embeddingsByTeacher.containsKey(output.teacher()))
                .forEach(output -> keptEmbeddings.put(output.teacher(), embeddingsByTeacher.get(output.teacher())));
        LeastSimilarPair pair = LeastSimilarPair.of(keptEmbeddings);
        List<TeacherOutput> chosen = kept.stream()
                .filter(output -> output.teacher().equals(pair.first()) || output.teacher().equals(pair.second())).toList();
        return new DiversityStep(chosen, pair.similarity());
    }
}
