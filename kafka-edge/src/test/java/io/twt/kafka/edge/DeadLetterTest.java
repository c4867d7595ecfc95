package io.twt.kafka.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.twt.common.DeadLetterHeaders;
import io.twt.common.InvalidRecordException;
import io.twt.common.Query;
import io.twt.common.Topic;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final byte[] MALFORMED = "{\"id\": 7".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMalformedRecordGoesToItsTopicsDlqWithItsBytesTheReasonAndWhereItWasRead() {
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>(Topic.QUERIES.topicName(), 2, 41L, "q-1", MALFORMED);
        source.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        InvalidRecordException refused = decodeFailure();

        ProducerRecord<String, byte[]> dead = DeadLetter.of(refused).record(source);

        assertEquals("twt.queries.dlq", dead.topic());
        assertEquals("q-1", dead.key());
        assertEquals(MALFORMED, dead.value());
        assertEquals(refused.reason(), header(dead.headers(), DeadLetterHeaders.REASON));
        assertEquals(InvalidRecordException.class.getName(), header(dead.headers(), DeadLetterHeaders.EXCEPTION));
        assertEquals(refused.getCause().getMessage(), header(dead.headers(), DeadLetterHeaders.CAUSE));
        assertEquals("twt.queries", header(dead.headers(), DeadLetterHeaders.TOPIC));
        assertEquals("2", header(dead.headers(), DeadLetterHeaders.PARTITION));
        assertEquals("41", header(dead.headers(), DeadLetterHeaders.OFFSET));
        assertEquals("t-1", header(dead.headers(), "trace"), "the record's own headers travel with it");
    }

    @Test
    void aRecordRefusedAgainCarriesOnlyTheLatestReasonAndTheOriginalHeadersStayUntouched() {
        Headers original = new RecordHeaders();
        original.add(DeadLetterHeaders.REASON, "an earlier reason".getBytes(StandardCharsets.UTF_8));

        Headers headers = new DeadLetter("key is not its queryId", new InvalidRecordException("key is not its queryId"))
                .headers(original);

        assertEquals(2, headers.toArray().length, "one reason and one exception class, no cause");
        assertEquals("key is not its queryId", header(headers, DeadLetterHeaders.REASON));
        assertNull(headers.lastHeader(DeadLetterHeaders.CAUSE));
        assertNull(headers.lastHeader(DeadLetterHeaders.TOPIC), "no source position where it is not known");
        assertEquals("an earlier reason", header(original, DeadLetterHeaders.REASON));
    }

    private static InvalidRecordException decodeFailure() {
        try {
            Topic.QUERIES.codec(Query.class).decode(MALFORMED);
            throw new AssertionError("a truncated object decoded");
        } catch (InvalidRecordException e) {
            return e;
        }
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
