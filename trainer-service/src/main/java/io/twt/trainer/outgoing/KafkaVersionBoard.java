package io.twt.trainer.outgoing;

import io.twt.common.InvalidRecordException;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import io.twt.kafka.edge.KafkaClients;
import io.twt.kafka.edge.TopicReader;
import io.twt.trainer.domain.VersionBoard;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@code twt.model-versions}, keyed round:stage; an idempotent producer, so a retried send is not written twice. */
public final class KafkaVersionBoard implements VersionBoard, AutoCloseable {

    private static final RecordCodec<ModelVersion> VERSIONS = Topic.MODEL_VERSIONS.codec(ModelVersion.class);

    private final TopicReader reader;
    private final Producer<String, byte[]> producer;

    public KafkaVersionBoard(String bootstrapServers) {
        KafkaClients clients = new KafkaClients(bootstrapServers);
        this.reader = clients.topicReader("trainer-reader");
        this.producer = clients.idempotentProducer();
    }

    @Override
    public boolean contains(ModelVersion version) {
        AtomicBoolean found = new AtomicBoolean();
        reader.readToEnd(Topic.MODEL_VERSIONS.topicName(), record -> {
            if (version.key().equals(record.key())) {
                try {
                    found.compareAndSet(false, version.adapterUri().equals(VERSIONS.decode(record.value()).adapterUri()));
                } catch (InvalidRecordException e) {
                    // someone else's bad record under our key is not our announcement
                }
            }
        });
        return found.get();
    }

    @Override
    public void announce(ModelVersion version) {
        try {
            producer.send(new ProducerRecord<>(Topic.MODEL_VERSIONS.topicName(), version.key(), VERSIONS.encode(version)))
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing model version " + version.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not announce model version " + version.key(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
