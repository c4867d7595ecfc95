package io.twt.gateway.incoming;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.twt.common.Json;
import io.twt.common.Topic;
import io.twt.gateway.config.GatewaySettings;
import io.twt.gateway.domain.DoneLedger;
import io.twt.kafka.edge.KafkaClients;
import io.twt.kafka.edge.TopicReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Idempotence across restarts. Offsets of {@code twt.queries} are committed only after a query's records
 * are acknowledged, so after a crash the queries from the committed offset on are delivered again, and
 * some of their records may already be on {@code twt.teacher-outputs}. When partitions are assigned, this
 * reads the outputs written since the first of those queries (less a margin for clock skew) and marks
 * their (query, teacher) pairs done in the {@link DoneLedger}, so no pair gets a second record. The same holds
 * for a rebalance between live gateways: a member giving partitions up first lets their queries in flight
 * finish ({@link InFlightQueries}), so the next owner reads their outputs here instead of asking again.
 */
@ApplicationScoped
@Identifier(LedgerRebuild.NAME)
public class LedgerRebuild implements KafkaConsumerRebalanceListener {

    static final String NAME = "twt.gateway.ledger-rebuild";
    private static final Logger LOG = Logger.getLogger(LedgerRebuild.class);
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);

    private final DoneLedger ledger;
    private final InFlightQueries inFlight;
    private final TopicReader reader;
    private final Duration lookback;
    private final Duration drain;

    LedgerRebuild(DoneLedger ledger, InFlightQueries inFlight,
                  @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, GatewaySettings config) {
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.reader = new KafkaClients(bootstrapServers).topicReader("teacher-gateway-ledger");
        this.lookback = config.ledgerLookback();
        this.drain = config.revocationDrain();
    }

    /**
     * Runs on the polling thread before this member rejoins, so the partitions' next owner is assigned them (and
     * rebuilds its ledger from the topic) only after the outputs of their queries in flight here are written.
     */
    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            int left = inFlight.revokeAndAwait(partitions, drain);
            if (left > 0) {
                LOG.warnf("revoked %s with %d queries still in flight after %s; their next owner may ask again",
                        partitions, left, drain);
            } else {
                LOG.infof("revoked %s once their queries in flight were written", partitions);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        inFlight.assigned(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Instant firstPending = firstPendingQuery(partitions, committed);
        if (firstPending != null) {
            int found = markDone(firstPending.minus(lookback));
            LOG.infof("ledger: %d (query, teacher) records found on %s since %s", found,
                    Topic.TEACHER_OUTPUTS.topicName(), firstPending.minus(lookback));
        }
    }

    /** The timestamp of the earliest query at or after the committed offsets; null when none is pending. */
    private Instant firstPendingQuery(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        Instant earliest = null;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed == null ? null : committed.get(partition);
            Optional<ConsumerRecord<String, byte[]>> first = reader.firstFrom(partition.topic(), partition.partition(),
                    done == null ? 0 : done.offset());
            if (first.isPresent() && (earliest == null || first.get().timestamp() < earliest.toEpochMilli())) {
                earliest = Instant.ofEpochMilli(first.get().timestamp());
            }
        }
        return earliest;
    }

    /** Reads every output partition from {@code since} to its current end; returns the records marked. */
    private int markDone(Instant since) {
        String outputs = Topic.TEACHER_OUTPUTS.topicName();
        int[] found = {0};
        if (!reader.readToEnd(outputs, reader.offsetsAt(outputs, since), READ_LIMIT,
                record -> found[0] += mark(record.value()) ? 1 : 0)) {
            LOG.warnf("ledger: stopped reading %s after %s; older pairs may be answered again", outputs, READ_LIMIT);
        }
        return found[0];
    }

    private boolean mark(byte[] value) {
        try {
            JsonNode output = Json.MAPPER.readTree(value);
            String queryId = output.path("queryId").asText(null);
            String teacher = output.path("teacher").asText(null);
            if (queryId == null || teacher == null) {
                return false;
            }
            ledger.recordExisting(DoneLedger.ask(queryId, output.path("redrive").asInt(0)), teacher);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
