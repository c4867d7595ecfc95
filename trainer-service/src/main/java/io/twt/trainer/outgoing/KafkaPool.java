package io.twt.trainer.outgoing;

import io.twt.common.DistillSampleSet;
import io.twt.common.RationaleEmbedding;
import io.twt.common.RecordCodec;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.common.Validated;
import io.twt.kafka.edge.KafkaClients;
import io.twt.kafka.edge.TopicReader;
import io.twt.trainer.domain.PoolSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Takes a pool snapshot from the topics: DCRS's decisions ({@code twt.diverse-pairs}, {@code twt.rejected-queries},
 * latest per query) are read first and the teacher outputs after, so every output of a decided query is there
 * (the gateway writes a query's outputs before the sampler can decide it), then the rationale embeddings DCRS used.
 */
public final class KafkaPool {

    private static final Logger LOG = Logger.getLogger(KafkaPool.class);

    private final TopicReader reader;
    private final PoolSnapshot.Embedder embedder;

    /** @param embedder for the OK outputs embedding-service did not embed live (those DCRS's quality step dropped) */
    public KafkaPool(String bootstrapServers, PoolSnapshot.Embedder embedder) {
        this.reader = new KafkaClients(bootstrapServers).topicReader("trainer-reader");
        this.embedder = embedder;
    }

    public PoolSnapshot take(String id, Instant now) {
        Map<String, DistillSampleSet> selected = latestByKey(Topic.DIVERSE_PAIRS, DistillSampleSet.class);
        Map<String, Rejection> rejected = latestByKey(Topic.REJECTED_QUERIES, Rejection.class);
        List<TeacherOutput> outputs = new ArrayList<>();
        RecordCodec<TeacherOutput> codec = Topic.TEACHER_OUTPUTS.codec(TeacherOutput.class);
        reader.readToEnd(Topic.TEACHER_OUTPUTS.topicName(), record -> {
            TeacherOutput output = decodeOrNull(codec, record.value());
            if (output != null) {
                outputs.add(output);
            }
        });
        List<RationaleEmbedding> embeddings = new ArrayList<>();
        RecordCodec<RationaleEmbedding> embeddingCodec = Topic.RATIONALE_EMBEDDINGS.codec(RationaleEmbedding.class);
        reader.readToEnd(Topic.RATIONALE_EMBEDDINGS.topicName(), record -> {
            RationaleEmbedding embedding = decodeOrNull(embeddingCodec, record.value());
            if (embedding != null) {
                embeddings.add(embedding);
            }
        });
        return PoolSnapshot.take(id, now, outputs, selected.values(), rejected.values(), embeddings, embedder);
    }

    /** A compacted topic's latest value per key; a tombstone (a re-drive turned the decision the other way) removes it. */
    private <T extends Validated> Map<String, T> latestByKey(Topic topic, Class<T> type) {
        RecordCodec<T> codec = topic.codec(type);
        Map<String, T> latest = new LinkedHashMap<>();
        reader.readToEnd(topic.topicName(), record -> {
            T value = record.value() == null ? null : decodeOrNull(codec, record.value());
            if (value == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), value);
            }
        });
        return latest;
    }

    /** Null for a record that fails validation: its consumers dead-letter it, and the pool goes on without it. */
    private static <T extends Validated> T decodeOrNull(RecordCodec<T> codec, byte[] value) {
        try {
            return codec.decode(value);
        } catch (RuntimeException malformed) {
            LOG.debugf("skipping a malformed record: %s", malformed.getMessage());
            return null;
        }
    }
}
