package io.twt.lab;

import io.twt.common.BuiltInQueries;
import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.TaskKind;
import java.util.List;

/** The lab's splits as the {@link BuiltInQueries} the launcher and services find on their class path (META-INF/services). */
public final class LabQueries implements BuiltInQueries {

    @Override
    public List<Query> generate(TaskKind kind, QueryPurpose purpose, int count, long seed) {
        return LabTasks.generate(kind, purpose == QueryPurpose.EVAL ? Split.EVAL : Split.TRAIN, count, seed);
    }

    @Override
    public String source() {
        return "the lab";
    }
}
