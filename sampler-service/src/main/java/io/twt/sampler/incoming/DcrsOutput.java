package io.twt.sampler.incoming;

import io.twt.common.TeacherOutput;
import io.twt.sampler.domain.Decision;

/**
 * What the per-query processor emits: a first-seen output that passed the quality criterion, a decision, or,
 * when a re-drive turns a query's decision the other way, the withdrawal of the first one from its topic.
 */
sealed interface DcrsOutput {

    record Kept(TeacherOutput output) implements DcrsOutput {
    }

    record Decided(Decision decision) implements DcrsOutput {
    }

    /** A tombstone for the query on the topic of its earlier decision ({@code twt.diverse-pairs} or {@code twt.rejected-queries}). */
    record Withdrawn(String topic) implements DcrsOutput {
    }
}
