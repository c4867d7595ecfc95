package io.twt.gateway.incoming;

import io.twt.common.Query;
import io.twt.common.RecordCodec;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Reads {@code twt.queries}; a record that fails validation is nacked and lands on {@code twt.queries.dlq}. */
@ApplicationScoped
public class QueryConsumer {

    private static final Logger LOG = Logger.getLogger(QueryConsumer.class);
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);

    @Incoming("queries")
    public void consume(byte[] value) {
        Query query = QUERIES.decode(value);
        LOG.debugf("query %s (%s)", query.id(), query.task());
    }
}
