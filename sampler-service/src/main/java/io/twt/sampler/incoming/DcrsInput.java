package io.twt.sampler.incoming;

import io.twt.common.RationaleEmbedding;
import io.twt.common.TeacherOutput;

/** The two kinds of record the per-query state joins. */
sealed interface DcrsInput {

    record Output(TeacherOutput output) implements DcrsInput {
    }

    record Embedding(RationaleEmbedding embedding) implements DcrsInput {
    }
}
