package io.twt.trainer.domain;

import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rationales a stage after a compression trains on, by draft key. A draft whose compressed rationale did
 * not arrive by the deadline keeps the rationale it was drafted with (the teacher's original, or the first
 * compression's in the four-stage variant) and is counted as missing; the compression service's own fallbacks
 * (method fallback-original) are counted apart.
 */
public record CompressedSet(Map<String, String> rationales, int drafts, int teacherGuided, int fallbacks, int missing,
                            double originalTokensMean, double compressedTokensMean) {

    /** @param current the rationales the drafts were made with, by draft key; a row without one had its original */
    public static CompressedSet collect(List<DistillRow> rows, int round, Map<String, CompressedRationale> received,
                                        Map<String, String> current) {
        Map<String, String> rationales = new HashMap<>();
        int teacherGuided = 0;
        int fallbacks = 0;
        int missing = 0;
        long originalTokens = 0;
        long compressedTokens = 0;
        int measured = 0;
        for (DistillRow row : rows) {
            String key = row.draftKey(round);
            CompressedRationale compressed = received.get(key);
            if (compressed == null) {
                missing++;
                rationales.put(key, current.getOrDefault(key, row.sample().rationale()));
                continue;
            }
            rationales.put(key, compressed.rationale());
            if (compressed.method() == CompressionMethod.TEACHER_GUIDED) {
                teacherGuided++;
            } else if (compressed.method() == CompressionMethod.FALLBACK_ORIGINAL) {
                fallbacks++;
            }
            originalTokens += compressed.originalTokens();
            compressedTokens += compressed.compressedTokens();
            measured++;
        }
        return new CompressedSet(rationales, rows.size(), teacherGuided, fallbacks, missing,
                measured == 0 ? 0 : (double) originalTokens / measured, measured == 0 ? 0 : (double) compressedTokens / measured);
    }
}
