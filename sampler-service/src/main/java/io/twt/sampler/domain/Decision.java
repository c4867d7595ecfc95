package io.twt.sampler.domain;

import io.twt.common.DistillSampleSet;
import io.twt.common.Rejection;

/** What DCRS decided for one query: its samples, or why it has none. */
public sealed interface Decision {

    String queryId();

    record Selected(DistillSampleSet samples) implements Decision {
        @Override
        public String queryId() {
            return samples.queryId();
        }
    }

    record Rejected(Rejection rejection) implements Decision {
        @Override
        public String queryId() {
            return rejection.queryId();
        }
    }
}
