package io.twt.kafka.edge;

import io.twt.common.DeadLetterHeaders;
import io.twt.common.InvalidRecordException;
import io.twt.common.Topic;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Why a record a consumer could not accept goes to its {@code <topic>.dlq}, written as headers beside the original
 * key and bytes. The header names are SmallRye's own ({@link DeadLetterHeaders}), so the dead letters of the hand-built
 * consumers, of the Kafka Streams topology and of SmallRye's failure strategy read alike.
 *
 * @param reason what was wrong, in words
 * @param error  the exception that said so; its class and its cause's message go into the headers too
 */
public record DeadLetter(String reason, Throwable error) {

    public static DeadLetter of(InvalidRecordException e) {
        return new DeadLetter(e.reason(), e);
    }

    /** The record itself for {@code <its topic>.dlq}: its key, its bytes, its headers and these. */
    public ProducerRecord<String, byte[]> record(ConsumerRecord<String, byte[]> source) {
        return new ProducerRecord<>(source.topic() + Topic.DLQ_SUFFIX, null, source.key(), source.value(), headers(source));
    }

    /** The source record's headers plus the reason, the exception and where the record was read. */
    public Headers headers(ConsumerRecord<?, ?> source) {
        return headers(source.headers(), source.topic(), source.partition(), source.offset());
    }

    /** {@code original} plus the reason, the exception and where the record was read; {@code original} is left as it was. */
    public Headers headers(Headers original, String topic, int partition, long offset) {
        Headers headers = headers(original);
        put(headers, DeadLetterHeaders.TOPIC, topic);
        put(headers, DeadLetterHeaders.PARTITION, Integer.toString(partition));
        put(headers, DeadLetterHeaders.OFFSET, Long.toString(offset));
        return headers;
    }

    /** {@code original} plus the reason and the exception, where it is not known where the record was read. */
    public Headers headers(Headers original) {
        Headers headers = new RecordHeaders(original.toArray());
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, DeadLetterHeaders.EXCEPTION, error.getClass().getName());
        if (error.getCause() != null) {
            put(headers, DeadLetterHeaders.CAUSE, String.valueOf(error.getCause().getMessage()));
        }
        return headers;
    }

    // a record dead-lettered twice (re-driven, then refused again) carries only the latest reason
    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
