package io.twt.gateway.outgoing;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.twt.common.RecordCodec;
import io.twt.common.TeacherSpend;
import io.twt.common.Topic;
import io.twt.gateway.config.GatewaySettings;
import io.twt.gateway.domain.SpendLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Writes this replica's changed spend entries to the compacted {@code twt.teacher-spend} every
 * {@code twt.gateway.spend-flush} (and once more on shutdown), keyed teacher:day:replica, so the other replicas
 * count them against the budgets and a restart finds them.
 */
@ApplicationScoped
public class SpendWriter {

    private static final Logger LOG = Logger.getLogger(SpendWriter.class);
    private static final RecordCodec<TeacherSpend> SPEND = Topic.TEACHER_SPEND.codec(TeacherSpend.class);

    private final MutinyEmitter<byte[]> emitter;
    private final SpendLedger ledger;
    private final GatewaySettings config;
    private ScheduledExecutorService timer;

    public SpendWriter(@Channel("teacher-spend-out") MutinyEmitter<byte[]> emitter, SpendLedger ledger, GatewaySettings config) {
        this.emitter = emitter;
        this.ledger = ledger;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("spend-writer").factory());
        long every = config.spendFlush().toMillis();
        timer.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        timer.shutdownNow();
        flush();
    }

    void flush() {
        List<TeacherSpend> changed = ledger.unflushed();
        try {
            for (TeacherSpend entry : changed) {
                emitter.sendMessageAndAwait(KafkaRecord.of(entry.key(), SPEND.encode(entry)));
            }
        } catch (RuntimeException e) {
            ledger.flushFailed(changed);
            LOG.warnf("spend ledger: %d entries not written yet (%s); retried at the next flush", changed.size(), e.getMessage());
        }
    }
}
