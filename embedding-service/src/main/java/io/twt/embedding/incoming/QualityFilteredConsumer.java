package io.twt.embedding.incoming;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.twt.common.InvalidRecordException;
import io.twt.common.RationaleEmbedding;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.embedding.domain.SentenceEncoder;
import io.twt.embedding.outgoing.EmbeddingPublisher;
import io.twt.kafka.edge.DeadLetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Embeds the rationales of {@code twt.quality-filtered} in micro-batches: whatever one poll returned goes
 * through the model together. The batch's offsets are committed only after every embedding and dead letter
 * was acknowledged, so a crash re-embeds rather than loses (the sampler ignores a repeated embedding).
 */
@ApplicationScoped
public class QualityFilteredConsumer {

    private static final RecordCodec<TeacherOutput> OUTPUTS = Topic.QUALITY_FILTERED.codec(TeacherOutput.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final SentenceEncoder encoder;
    private final EmbeddingPublisher publisher;
    private final DistributionSummary batchSizes;
    private final Timer batchTime;
    private final MeterRegistry registry;

    public QualityFilteredConsumer(SentenceEncoder encoder, EmbeddingPublisher publisher, MeterRegistry registry) {
        this.encoder = encoder;
        this.publisher = publisher;
        this.registry = registry;
        this.batchSizes = DistributionSummary.builder("twt.embedding.batch.size")
                .description("rationales embedded per poll").register(registry);
        this.batchTime = Timer.builder("twt.embedding.batch.time")
                .description("time to embed one poll's rationales").register(registry);
    }

    @Incoming("quality-filtered")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<Uni<Void>> sends = new ArrayList<>();
        List<TeacherOutput> outputs = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                outputs.add(OUTPUTS.decode(record.value()));
            } catch (InvalidRecordException e) {
                registry.counter("twt.embedding.dead.letters").increment();
                sends.add(publisher.deadLetter(record.key(), record.value() == null ? new byte[0] : record.value(),
                        DeadLetter.of(e).headers(record)));
            }
        }
        if (!outputs.isEmpty()) {
            List<float[]> vectors = batchTime.record(() -> encoder.embed(outputs.stream().map(TeacherOutput::rationale).toList()));
            batchSizes.record(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                TeacherOutput output = outputs.get(i);
                sends.add(publisher.embedding(new RationaleEmbedding(SchemaVersion.CURRENT, output.queryId(),
                        output.teacher(), encoder.modelName(), vectors.get(i))));
            }
        }
        if (!sends.isEmpty()) {
            Uni.join().all(sends).andFailFast().await().atMost(SEND_TIMEOUT);
        }
    }
}
