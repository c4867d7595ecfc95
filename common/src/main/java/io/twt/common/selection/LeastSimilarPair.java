package io.twt.common.selection;

import io.twt.common.Cosine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two rationales whose embeddings are least alike (paper eq. 3): the most diverse pair of reasoning paths.
 *
 * @param first      the earlier teacher name of the pair
 * @param second     the later teacher name of the pair
 * @param similarity their cosine similarity
 */
public record LeastSimilarPair(String first, String second, double similarity) {

    /**
     * Pairs are compared in teacher-name order and only a strictly smaller similarity replaces the best so far,
     * so ties go to the pair that comes first by name: the same input always gives the same pair.
     */
    public static LeastSimilarPair of(Map<String, float[]> embeddingsByTeacher) {
        if (embeddingsByTeacher.size() < 2) {
            throw new IllegalArgumentException("a pair needs at least two embeddings, got " + embeddingsByTeacher.size());
        }
        List<Map.Entry<String, float[]>> entries = new ArrayList<>(new TreeMap<>(embeddingsByTeacher).entrySet());
        LeastSimilarPair best = null;
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                double similarity = Cosine.similarity(entries.get(i).getValue(), entries.get(j).getValue());
                if (best == null || similarity < best.similarity) {
                    best = new LeastSimilarPair(entries.get(i).getKey(), entries.get(j).getKey(), similarity);
                }
            }
        }
        return best;
    }
}
