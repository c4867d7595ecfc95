package io.twt.eval.incoming;

import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.RecordCodec;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.model.VersionEvaluator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code GET /eval-queries}: the queries every student is scored on, one {@link Query} per line with purpose eval,
 * for pushing to {@code twt.queries} so that the teachers answer the same queries (their rows in Table 1) while G
 * never holds them. What {@code ./twt demo} pushes beside its training queries.
 */
@Path("/eval-queries")
public class EvalQueriesResource {

    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);

    private final VersionEvaluator evaluator;

    public EvalQueriesResource(VersionEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @GET
    @Produces("application/x-ndjson")
    public String evalQueries() {
        return evaluator.evalSets().values().stream().flatMap(List::stream).map(EvalItem::query)
                .map(query -> QUERIES.encodeString(query.withPurpose(QueryPurpose.EVAL)) + "\n")
                .collect(Collectors.joining());
    }
}
