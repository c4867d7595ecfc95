package io.twt.eval.domain.dataset;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.List;

/**
 * One labelled example: the query the student sees (with its gold answer, and tests for code; its id is the
 * dataset's own: MBPP's task_id, CommonsenseQA's id, a GSM8K line's index) and, for MBPP, the setup code and
 * imports that run before the tests but are not part of the prompt.
 *
 * @param idPrefix the format's name ("mbpp"), so "mbpp-11" names example 11 as well; null when ids have no other form
 */
public record EvalItem(Query query, String testSetup, String idPrefix) {

    public EvalItem {
        if (query.gold() == null && query.task() != TaskKind.CODE) {
            throw new IllegalArgumentException("example " + query.id() + " has no gold answer");
        }
        if (query.task() == TaskKind.CODE && (query.tests() == null || query.tests().isEmpty())) {
            throw new IllegalArgumentException("code example " + query.id() + " has no tests to run");
        }
    }

    public static EvalItem of(Query query) {
        return new EvalItem(query, null, null);
    }

    public String id() {
        return query.id();
    }

    /** Every id a prediction may use for this example: the dataset's own, then the prefixed form. */
    public List<String> acceptedIds() {
        return idPrefix == null ? List.of(id()) : List.of(id(), idPrefix + "-" + id());
    }

    public TaskKind task() {
        return query.task();
    }
}
