package io.twt.embedding.outgoing;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.twt.common.RationaleEmbedding;
import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Writes embeddings and dead letters; each send completes when the broker acknowledged it. */
@ApplicationScoped
public class EmbeddingPublisher {

    private static final RecordCodec<RationaleEmbedding> EMBEDDINGS = Topic.RATIONALE_EMBEDDINGS.codec(RationaleEmbedding.class);

    private final MutinyEmitter<byte[]> embeddings;
    private final MutinyEmitter<byte[]> deadLetters;

    public EmbeddingPublisher(@Channel("rationale-embeddings") MutinyEmitter<byte[]> embeddings,
                              @Channel("quality-filtered-dlq") MutinyEmitter<byte[]> deadLetters) {
        this.embeddings = embeddings;
        this.deadLetters = deadLetters;
    }

    public Uni<Void> embedding(RationaleEmbedding embedding) {
        return embeddings.sendMessage(Message.of(EMBEDDINGS.encode(embedding))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(embedding.queryId()).build()));
    }

    public Uni<Void> deadLetter(String key, byte[] value, Headers headers) {
        return deadLetters.sendMessage(Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build()));
    }
}
