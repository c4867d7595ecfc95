package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.Keys;
import io.twt.common.Query;

/** One (query, teacher sample) of the distillation set G: the unit of training examples and student drafts. */
public record DistillRow(Query query, DistillSample sample) {

    public String teacher() {
        return sample.teacher();
    }

    /** The key of this row's draft and compressed rationale in a round. */
    public String draftKey(int round) {
        return Keys.draft(round, query.id(), sample.teacher());
    }
}
