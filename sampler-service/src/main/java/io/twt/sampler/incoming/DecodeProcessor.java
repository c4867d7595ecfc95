package io.twt.sampler.incoming;

import io.twt.common.InvalidRecordException;
import io.twt.common.RecordCodec;
import io.twt.common.Validated;
import io.twt.kafka.edge.DeadLetter;
import io.twt.sampler.outgoing.SamplerMetrics;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes and validates a record. One that fails, or whose key is not its query id (records of one query
 * must share a partition for the per-query join), passes on undecoded with the dead-letter headers set,
 * so a bad record is routed aside instead of stopping the stream.
 */
class DecodeProcessor<T extends Validated> implements FixedKeyProcessor<String, byte[], Decoded<T>> {

    private final RecordCodec<T> codec;
    private final Function<T, String> queryIdOf;
    private final SamplerMetrics metrics;
    private FixedKeyProcessorContext<String, Decoded<T>> context;

    DecodeProcessor(RecordCodec<T> codec, Function<T, String> queryIdOf, SamplerMetrics metrics) {
        this.codec = codec;
        this.queryIdOf = queryIdOf;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decoded<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        try {
            T value = codec.decode(record.value());
            String queryId = queryIdOf.apply(value);
            if (!queryId.equals(record.key())) {
                throw new InvalidRecordException("record key '" + record.key() + "' is not its queryId '" + queryId + "'");
            }
            context.forward(record.withValue(new Decoded<>(value, record.value())));
        } catch (InvalidRecordException e) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
            metrics.deadLetter(topic);
            context.forward(record.withValue(new Decoded<T>(null, record.value()))
                    .withHeaders(deadLetterHeaders(record.headers(), e)));
        }
    }

    private Headers deadLetterHeaders(Headers original, InvalidRecordException e) {
        DeadLetter deadLetter = DeadLetter.of(e);
        return context.recordMetadata()
                .map(meta -> deadLetter.headers(original, meta.topic(), meta.partition(), meta.offset()))
                .orElseGet(() -> deadLetter.headers(original));
    }
}
