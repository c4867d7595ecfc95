package io.twt.trainer.incoming;

import io.twt.common.DistillSampleSet;
import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import io.twt.trainer.domain.DistillationSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Materialises G from {@code twt.diverse-pairs}: a record is on disk before it is acknowledged (and only then is
 * its offset committed), and a redelivered query is not written twice. A malformed record lands on the .dlq topic.
 */
@ApplicationScoped
public class DiversePairsConsumer {

    private static final Logger LOG = Logger.getLogger(DiversePairsConsumer.class);
    private static final RecordCodec<DistillSampleSet> PAIRS = Topic.DIVERSE_PAIRS.codec(DistillSampleSet.class);

    private final DistillationSet set;

    public DiversePairsConsumer(DistillationSet set) {
        this.set = set;
    }

    @Incoming("diverse-pairs")
    public void consume(byte[] value) {
        if (value == null) {
            // a tombstone: a re-drive withdrew this query's selection; a round already holding it keeps it
            return;
        }
        DistillSampleSet sampleSet = PAIRS.decode(value);
        if (set.append(List.of(sampleSet)) == 0) {
            LOG.debugf("query %s is already in G", sampleSet.queryId());
        }
    }
}
