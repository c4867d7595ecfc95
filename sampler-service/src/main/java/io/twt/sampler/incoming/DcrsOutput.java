package io.twt.sampler.incoming;

import io.twt.common.TeacherOutput;
import io.twt.sampler.domain.Decision;

/** What the per-query processor emits: a first-seen output that passed the quality criterion, or a decision. */
sealed interface DcrsOutput {

    record Kept(TeacherOutput output) implements DcrsOutput {
    }

    record Decided(Decision decision) implements DcrsOutput {
    }
}
