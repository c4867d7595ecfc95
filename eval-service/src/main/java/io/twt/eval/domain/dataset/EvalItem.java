package io.twt.eval.domain.dataset;

import io.twt.common.Query;
import io.twt.common.TaskKind;

/**
 * One labelled example: the query the student sees (with its gold answer, and tests for code) and, for
 * MBPP, the setup code that runs before the tests but is not part of the prompt.
 */
public record EvalItem(Query query, String testSetup) {

    public EvalItem {
        if (query.gold() == null && query.task() != TaskKind.CODE) {
            throw new IllegalArgumentException("example " + query.id() + " has no gold answer");
        }
        if (query.task() == TaskKind.CODE && (query.tests() == null || query.tests().isEmpty())) {
            throw new IllegalArgumentException("code example " + query.id() + " has no tests to run");
        }
    }

    public static EvalItem of(Query query) {
        return new EvalItem(query, null);
    }

    public String id() {
        return query.id();
    }

    public TaskKind task() {
        return query.task();
    }
}
