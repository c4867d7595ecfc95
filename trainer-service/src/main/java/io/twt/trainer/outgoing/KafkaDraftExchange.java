package io.twt.trainer.outgoing;

import io.twt.common.CompressedRationale;
import io.twt.common.InvalidRecordException;
import io.twt.common.RecordCodec;
import io.twt.common.StudentDraft;
import io.twt.common.Topic;
import io.twt.kafka.edge.KafkaClients;
import io.twt.kafka.edge.TopicReader;
import io.twt.trainer.domain.DraftExchange;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Drafts go out in one Kafka transaction per pass, so compression-service (reading committed records only)
 * sees all of a pass's drafts or, after a trainer crash mid-send, none of them.
 */
public final class KafkaDraftExchange implements DraftExchange, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaDraftExchange.class);
    private static final RecordCodec<StudentDraft> DRAFTS = Topic.STUDENT_DRAFTS.codec(StudentDraft.class);
    private static final RecordCodec<CompressedRationale> COMPRESSED = Topic.COMPRESSED_RATIONALES.codec(CompressedRationale.class);

    private final TopicReader reader;
    private final Producer<String, byte[]> producer;

    /** @param transactionalId fixed per trainer instance, so a restart fences and aborts the crashed one's transaction */
    public KafkaDraftExchange(String bootstrapServers, String transactionalId) {
        KafkaClients clients = new KafkaClients(bootstrapServers);
        this.reader = clients.topicReader("trainer-reader");
        this.producer = clients.transactionalProducer(transactionalId);
    }

    @Override
    public Map<Integer, Long> draftEndOffsets() {
        return reader.endOffsets(Topic.STUDENT_DRAFTS.topicName());
    }

    @Override
    public Map<Integer, Long> compressedEndOffsets() {
        return reader.endOffsets(Topic.COMPRESSED_RATIONALES.topicName());
    }

    @Override
    public Set<String> draftKeysSince(Map<Integer, Long> from) {
        Set<String> keys = new HashSet<>();
        reader.readToEnd(Topic.STUDENT_DRAFTS.topicName(), from, TopicReader.NO_LIMIT, record -> keys.add(record.key()));
        return keys;
    }

    @Override
    public synchronized void send(List<StudentDraft> drafts) {
        producer.beginTransaction();
        try {
            for (StudentDraft draft : drafts) {
                producer.send(new ProducerRecord<>(Topic.STUDENT_DRAFTS.topicName(), draft.key(), DRAFTS.encode(draft)));
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    @Override
    public Map<String, CompressedRationale> await(Map<Integer, Long> from, Set<String> keys, Duration deadline) {
        Map<String, CompressedRationale> received = new HashMap<>();
        boolean all = reader.follow(Topic.COMPRESSED_RATIONALES.topicName(), from, record -> {
            if (keys.contains(record.key())) {
                try {
                    received.put(record.key(), COMPRESSED.decode(record.value()));
                } catch (InvalidRecordException e) {
                    LOG.warnf("ignoring a bad compressed rationale %s: %s", record.key(), e.reason());
                }
            }
        }, () -> received.size() == keys.size(), deadline);
        if (!all) {
            LOG.warnf("compression deadline of %s passed with %d of %d compressed rationales; the rest keep their originals",
                    deadline, received.size(), keys.size());
        }
        return received;
    }

    @Override
    public void close() {
        producer.close();
    }
}
