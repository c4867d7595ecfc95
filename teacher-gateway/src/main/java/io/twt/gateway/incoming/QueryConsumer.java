package io.twt.gateway.incoming;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.gateway.config.GatewayBeans.Rubrics;
import io.twt.gateway.domain.Chat;
import io.twt.gateway.domain.Completion;
import io.twt.gateway.domain.DoneLedger;
import io.twt.gateway.domain.ResponseFormats;
import io.twt.gateway.domain.Rubric;
import io.twt.gateway.domain.TeacherCallFailed;
import io.twt.gateway.domain.TripleGeneration;
import io.twt.gateway.outgoing.OutputWriter;
import io.twt.gateway.outgoing.TeacherBatches;
import io.twt.gateway.outgoing.TeacherClient;
import io.twt.gateway.outgoing.Teachers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code twt.queries} and asks every teacher, in parallel, for the query's triple: one record per
 * (query, teacher) on {@code twt.teacher-outputs}, failures included. The method returns, and the offset is
 * committed, only after every record is acknowledged; pairs already done (a redelivery, a repeated query)
 * are skipped, and so is a query whose partition a rebalance has moved on ({@link InFlightQueries}). A re-drive
 * (the query again, with {@code redrive}) asks only the teachers it names, and its records carry its number. A
 * record that fails validation is nacked and lands on {@code twt.queries.dlq}.
 */
@ApplicationScoped
public class QueryConsumer {

    private static final RecordCodec<Query> QUERIES = Topic.QUERIES.codec(Query.class);
    static final String PURPOSE = "generation";
    // how often a query waiting for budget checks that its partition is still ours
    private static final Duration BUDGET_RECHECK = Duration.ofSeconds(1);

    private final Teachers teachers;
    private final Rubrics rubrics;
    private final TripleGeneration generation;
    private final DoneLedger ledger;
    private final OutputWriter writer;
    private final InFlightQueries inFlight;

    public QueryConsumer(Teachers teachers, Rubrics rubrics, TripleGeneration generation, DoneLedger ledger,
                         OutputWriter writer, InFlightQueries inFlight) {
        this.teachers = teachers;
        this.rubrics = rubrics;
        this.generation = generation;
        this.ledger = ledger;
        this.writer = writer;
        this.inFlight = inFlight;
    }

    @Incoming("queries")
    @RunOnVirtualThread
    public void consume(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (!inFlight.begin(partition)) {
            // polled before a rebalance took the partition away: its new owner reads it from the committed offset
            return;
        }
        try {
            answerAll(QUERIES.decode(record.value()), partition);
        } finally {
            inFlight.end(partition);
        }
    }

    private void answerAll(Query query, TopicPartition partition) throws InterruptedException {
        Rubric rubric = rubrics.of(query.task());
        List<Future<?>> calls = new ArrayList<>();
        try (ExecutorService perTeacher = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TeacherClient teacher : askedOf(query)) {
                if (ledger.claim(DoneLedger.ask(query.id(), query.redriveNumber()), teacher.name())) {
                    calls.add(perTeacher.submit(() -> answer(query, rubric, teacher, partition)));
                }
            }
            for (Future<?> call : calls) {
                try {
                    call.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("could not write a record for query " + query.id(), e.getCause());
                }
            }
        }
    }

    private Void answer(Query query, Rubric rubric, TeacherClient teacher, TopicPartition partition) throws InterruptedException {
        String ask = DoneLedger.ask(query.id(), query.redriveNumber());
        try {
            TeacherOutput output = generateWithinBudget(query, rubric, teacher, partition);
            if (output == null) {
                // the partition moved on while this teacher's budget was spent or its batch open: its new owner asks again
                ledger.release(ask, teacher.name());
                return null;
            }
            writer.write(output.withRedrive(query.redriveNumber()));
            ledger.done(ask, teacher.name());
            return null;
        } catch (RuntimeException | InterruptedException e) {
            ledger.release(ask, teacher.name());
            throw e;
        }
    }

    /**
     * The teacher online; a {@code mode: batch} teacher answers the first ask through its batch, and a line that
     * failed or expired, and any re-ask of an unreadable reply, goes online.
     */
    private Chat chat(Query query, Rubric rubric, TeacherClient teacher, TopicPartition partition) {
        JsonNode format = ResponseFormats.forTriple(teacher.spec().responseFormat(), rubric);
        Chat online = messages -> teacher.complete(messages, format, null, null, PURPOSE);
        TeacherBatches batches = teachers.batchesOf(teacher.name()).orElse(null);
        if (batches == null) {
            return online;
        }
        AtomicBoolean first = new AtomicBoolean(true);
        return messages -> {
            if (first.getAndSet(false)) {
                try {
                    Optional<Completion> batched = batches.answer(DoneLedger.ask(query.id(), query.redriveNumber()),
                            teacher.body(messages, format), () -> inFlight.owns(partition));
                    if (batched.isPresent()) {
                        return batched.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while query " + query.id() + " waited for its batch", e);
                }
            }
            return online.complete(messages);
        };
    }

    /** Every teacher for a new query; for a re-drive only those it names (a name not configured here is skipped). */
    private List<TeacherClient> askedOf(Query query) {
        if (query.redrive() == null) {
            return teachers.all();
        }
        return teachers.all().stream().filter(t -> query.redrive().teachers().contains(t.name())).toList();
    }

    /**
     * The teacher's output once its budget has room (and, in batch mode, its batch ended); null if this process no
     * longer owns the query's partition.
     */
    private TeacherOutput generateWithinBudget(Query query, Rubric rubric, TeacherClient teacher, TopicPartition partition)
            throws InterruptedException {
        while (true) {
            if (!teacher.budget().awaitRoom(BUDGET_RECHECK)) {
                if (!inFlight.owns(partition)) {
                    return null;
                }
                continue;
            }
            try {
                return generation.generate(query, rubric, teacher.name(), teachers.count(), chat(query, rubric, teacher, partition));
            } catch (CancellationException moved) {
                return null;
            } catch (TeacherCallFailed spent) {
                // the budget ran out between the check and the call (another query spent it): wait for more
            }
        }
    }
}
