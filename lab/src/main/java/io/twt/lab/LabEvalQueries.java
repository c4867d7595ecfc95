package io.twt.lab;

import io.twt.common.EvalQueries;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.List;

/** The lab's eval split as the {@link EvalQueries} services find on their class path (META-INF/services). */
public final class LabEvalQueries implements EvalQueries {

    @Override
    public List<Query> generate(TaskKind kind, int count, long seed) {
        return LabTasks.generate(kind, Split.EVAL, count, seed);
    }

    @Override
    public String source() {
        return "the lab";
    }
}
