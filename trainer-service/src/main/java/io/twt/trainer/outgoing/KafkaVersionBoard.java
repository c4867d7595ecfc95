package io.twt.trainer.outgoing;

import io.twt.common.InvalidRecordException;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import io.twt.trainer.domain.VersionBoard;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** {@code twt.model-versions}, keyed round:stage; an idempotent producer, so a retried send is not written twice. */
public final class KafkaVersionBoard implements VersionBoard, AutoCloseable {

    private static final RecordCodec<ModelVersion> VERSIONS = RecordCodec.of(ModelVersion.class);

    private final TopicReader reader;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaVersionBoard(String bootstrapServers) {
        this.reader = new TopicReader(bootstrapServers);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public boolean contains(ModelVersion version) {
        AtomicBoolean found = new AtomicBoolean();
        reader.readToEnd(Topic.MODEL_VERSIONS.topicName(), Map.of(), record -> {
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
