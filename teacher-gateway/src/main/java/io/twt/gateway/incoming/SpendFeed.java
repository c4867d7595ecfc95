package io.twt.gateway.incoming;

import io.twt.common.RecordCodec;
import io.twt.common.TeacherSpend;
import io.twt.common.Topic;
import io.twt.gateway.domain.SpendLedger;
import io.twt.gateway.outgoing.Teachers;
import io.twt.kafka.edge.KafkaClients;
import io.twt.kafka.edge.TopicReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every replica's spend from {@code twt.teacher-spend} into the {@link SpendLedger}, and each teacher's budget
 * settled on the sum. At start {@link #catchUp} reads the topic to its end before the gateway takes a query
 * (so a restarted replica does not spend a budget twice); then the {@code teacher-spend} channel, with a group
 * of its own per process, keeps reading what the other replicas write.
 */
@ApplicationScoped
public class SpendFeed {

    private static final Logger LOG = Logger.getLogger(SpendFeed.class);
    private static final RecordCodec<TeacherSpend> SPEND = Topic.TEACHER_SPEND.codec(TeacherSpend.class);
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

    private final SpendLedger ledger;
    private final Teachers teachers;
    private final TopicReader reader;

    public SpendFeed(SpendLedger ledger, Teachers teachers,
                     @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.ledger = ledger;
        this.teachers = teachers;
        // its writers are not transactional, and it was always read uncommitted
        this.reader = new KafkaClients(bootstrapServers).topicReader("teacher-gateway-spend-catch-up", IsolationLevel.READ_UNCOMMITTED);
    }

    @Incoming("teacher-spend")
    public void absorb(byte[] value) {
        if (value == null) {
            return;
        }
        TeacherSpend entry = SPEND.decode(value);
        ledger.absorb(entry);
        teachers.named(entry.teacher()).ifPresent(t -> t.budget().settle(ledger.totalCostUsd(entry.teacher())));
    }

    /** Reads {@code twt.teacher-spend} to its current end (at most 30 s); returns the entries read. */
    int catchUp() {
        int[] read = {0};
        boolean atEnd = reader.readToEnd(Topic.TEACHER_SPEND.topicName(), Map.of(), CATCH_UP_LIMIT, record -> {
            if (record.value() != null) {
                try {
                    ledger.absorb(SPEND.decode(record.value()));
                    read[0]++;
                } catch (RuntimeException malformed) {
                    LOG.warnf("spend ledger: skipped a malformed entry at %s-%d@%d", record.topic(), record.partition(), record.offset());
                }
            }
        });
        if (!atEnd) {
            LOG.warnf("spend ledger: %s not read to its end within %s; budgets count what was read", Topic.TEACHER_SPEND.topicName(), CATCH_UP_LIMIT);
        }
        teachers.all().forEach(t -> t.budget().settle(ledger.totalCostUsd(t.name())));
        return read[0];
    }
}
