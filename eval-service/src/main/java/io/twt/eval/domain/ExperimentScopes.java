package io.twt.eval.domain;

import io.twt.common.TaskKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments with an eval limit whose versions eval-service has seen, each with the eval ids its rows are
 * scored on: the teachers' rows of such an experiment are published over those ids alone, beside its vanilla,
 * chance and student rows on the same ones.
 */
public final class ExperimentScopes {

    /**
     * @param ids per task kind, the first N ids of the eval split, in order
     */
    public record Scope(String experiment, String snapshot, Map<TaskKind, List<String>> ids) {
    }

    private final Map<String, Scope> scopes = new LinkedHashMap<>();

    public synchronized void add(Scope scope) {
        scopes.putIfAbsent(scope.experiment(), scope);
    }

    public synchronized List<Scope> all() {
        return List.copyOf(scopes.values());
    }
}
