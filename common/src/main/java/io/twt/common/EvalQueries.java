package io.twt.common;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The built-in held-out queries (with gold labels) a service evaluates on where no benchmark file is configured. The
 * lab module provides them ({@code io.twt.lab.LabEvalQueries}), found on the class path at run time, so that no
 * service compiles against the lab.
 */
public interface EvalQueries {

    /** {@code count} distinct queries of one kind, the same for the same seed, none of them in the training split. */
    List<Query> generate(TaskKind kind, int count, long seed);

    /** Where they come from, for the log (e.g. "the lab"). */
    String source();

    /** The provider on the class path; fails, saying what to add, where there is none. */
    static EvalQueries onClassPath() {
        return ServiceLoader.load(EvalQueries.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no built-in eval queries on the class path (the lab module): add it, or configure a dataset file per task"));
    }
}
