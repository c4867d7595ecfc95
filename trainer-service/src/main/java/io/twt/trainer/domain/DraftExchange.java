package io.twt.trainer.domain;

import io.twt.common.CompressedRationale;
import io.twt.common.StudentDraft;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The trainer's side of compression: drafts out on {@code twt.student-drafts}, rationales back on {@code twt.compressed-rationales}. */
public interface DraftExchange {

    /** End offsets per partition of the drafts topic, now. */
    Map<Integer, Long> draftEndOffsets();

    /** End offsets per partition of the compressed-rationales topic, now. */
    Map<Integer, Long> compressedEndOffsets();

    /** Keys of committed drafts written since {@code from}: those a crashed pass already sent. */
    Set<String> draftKeysSince(Map<Integer, Long> from);

    /** Sends the drafts atomically (all or none). */
    void send(List<StudentDraft> drafts);

    /** Compressed rationales for {@code keys} written since {@code from}, waiting at most {@code deadline} for all. */
    Map<String, CompressedRationale> await(Map<Integer, Long> from, Set<String> keys, Duration deadline);
}
