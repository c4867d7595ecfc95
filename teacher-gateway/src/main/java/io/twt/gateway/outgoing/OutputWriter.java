package io.twt.gateway.outgoing;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.twt.common.RecordCodec;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Writes {@link TeacherOutput} records to {@code twt.teacher-outputs}, keyed by query id, and waits for the broker's ack. */
@ApplicationScoped
public class OutputWriter {

    private static final RecordCodec<TeacherOutput> OUTPUTS = Topic.TEACHER_OUTPUTS.codec(TeacherOutput.class);

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry registry;

    public OutputWriter(@Channel("teacher-outputs") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                        MutinyEmitter<byte[]> emitter, MeterRegistry registry) {
        this.emitter = emitter;
        this.registry = registry;
    }

    /** Returns once the record is acknowledged (acks=all, idempotent producer). */
    public void write(TeacherOutput output) {
        output.validate();
        emitter.sendMessageAndAwait(KafkaRecord.of(output.queryId(), OUTPUTS.encode(output)));
        registry.counter("twt.gateway.outputs", "teacher", output.teacher(), "status", output.status().name()).increment();
    }
}
