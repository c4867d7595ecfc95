package io.twt.common;

/**
 * Header names on {@code <topic>.dlq} records. They are SmallRye Reactive Messaging's own names, so
 * records its dead-letter strategy writes and records our Kafka Streams handlers write read alike.
 */
public final class DeadLetterHeaders {
    public static final String REASON = "dead-letter-reason";
    public static final String EXCEPTION = "dead-letter-exception-class-name";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private DeadLetterHeaders() {
    }
}
