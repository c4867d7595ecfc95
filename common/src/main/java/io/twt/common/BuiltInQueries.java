package io.twt.common;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The built-in queries (with gold labels) the demo distils and a service evaluates on where no benchmark file is
 * configured. The lab module provides them ({@code io.twt.lab.LabQueries}), found on the class path at run time, so
 * that neither the services nor the launcher compile against the lab.
 */
public interface BuiltInQueries {

    /**
     * {@code count} distinct queries of one kind for one purpose, the same for the same seed: those for
     * {@link QueryPurpose#EVAL} are never among those for {@link QueryPurpose#DISTIL}.
     */
    List<Query> generate(TaskKind kind, QueryPurpose purpose, int count, long seed);

    /** Where they come from, for the log (e.g. "the lab"). */
    String source();

    /** The provider on the class path; fails, saying what to add, where there is none. */
    static BuiltInQueries onClassPath() {
        return ServiceLoader.load(BuiltInQueries.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no built-in queries on the class path (the lab module): add it, or configure a dataset file per task"));
    }
}
