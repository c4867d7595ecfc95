package io.twt.compression.incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.twt.common.CompressedRationale;
import io.twt.common.InvalidRecordException;
import io.twt.common.RecordCodec;
import io.twt.common.StudentDraft;
import io.twt.common.Topic;
import io.twt.compression.CompressionSettings;
import io.twt.compression.domain.RationaleCompressor;
import io.twt.kafka.edge.DeadLetter;
import io.twt.kafka.edge.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consume-transform-produce over {@code twt.student-drafts}, exactly once: each polled batch is compressed
 * (teacher calls in parallel), then its compressed rationales, its dead letters and its consumed offsets are
 * written in one Kafka transaction. A crash before the commit aborts the transaction (the next instance with
 * the same transactional id fences it at once) and the batch is compressed again, so a read_committed reader
 * sees exactly one {@code twt.compressed-rationales} record per draft.
 */
@ApplicationScoped
public class DraftCompressionLoop {

    private static final Logger LOG = Logger.getLogger(DraftCompressionLoop.class);
    private static final RecordCodec<StudentDraft> DRAFTS = Topic.STUDENT_DRAFTS.codec(StudentDraft.class);
    private static final RecordCodec<CompressedRationale> COMPRESSED = Topic.COMPRESSED_RATIONALES.codec(CompressedRationale.class);

    private final CompressionSettings settings;
    private final RationaleCompressor compressor;
    private final CompressionMetrics metrics;
    private final KafkaClients clients;
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;
    private Consumer<String, byte[]> consumer;
    private ExecutorService workers;

    public DraftCompressionLoop(CompressionSettings settings, RationaleCompressor compressor, MeterRegistry registry,
                                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.settings = settings;
        this.compressor = compressor;
        this.metrics = new CompressionMetrics(registry);
        this.clients = new KafkaClients(bootstrapServers);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        workers = Executors.newFixedThreadPool(settings.concurrency());
        // drafts of an aborted trainer transaction never reach it; offsets are committed in our transactions
        consumer = clients.transactionalMember(settings.kafka().groupId(), settings.kafka().maxPollRecords(),
                settings.kafka().maxPollIntervalMs());
        thread = Thread.ofPlatform().name("draft-compression").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(30));
        workers.shutdownNow();
    }

    /** Null while the loop is alive; the error that stopped it otherwise. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try (Consumer<String, byte[]> drafts = consumer;
             Producer<String, byte[]> producer = clients.transactionalProducer(settings.kafka().transactionalId())) {
            drafts.subscribe(List.of(Topic.STUDENT_DRAFTS.topicName()));
            while (running) {
                ConsumerRecords<String, byte[]> records = drafts.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    writeBatch(producer, records, compressAll(records));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (Exception e) {
            failure = e;
            LOG.error("draft compression stopped", e);
        }
    }

    private List<Result> compressAll(ConsumerRecords<String, byte[]> records) throws InterruptedException, ExecutionException {
        List<Future<Result>> futures = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            futures.add(workers.submit(() -> process(record)));
        }
        List<Result> results = new ArrayList<>();
        for (Future<Result> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private Result process(ConsumerRecord<String, byte[]> record) {
        StudentDraft draft;
        try {
            draft = DRAFTS.decode(record.value());
        } catch (InvalidRecordException e) {
            return Result.deadLetter(DeadLetter.of(e).record(record));
        }
        try {
            RationaleCompressor.Outcome outcome = compressor.compress(draft);
            CompressedRationale compressed = outcome.compressed();
            return new Result(new ProducerRecord<>(Topic.COMPRESSED_RATIONALES.topicName(), compressed.key(),
                    COMPRESSED.encode(compressed)), outcome);
        } catch (RuntimeException e) {
            LOG.errorf(e, "draft %s could not be compressed", draft.key());
            return Result.deadLetter(new DeadLetter("compression failed: " + e.getMessage(), e).record(record));
        }
    }

    private void writeBatch(Producer<String, byte[]> producer, ConsumerRecords<String, byte[]> records,
                            List<Result> results) {
        try {
            producer.beginTransaction();
            for (Result result : results) {
                producer.send(result.record());
            }
            producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf(e, "transaction for %d drafts aborted; they will be compressed again", records.count());
            producer.abortTransaction();
            rewind(records);
            return;
        }
        results.forEach(metrics::count);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    /** What one draft turned into: the record to write and, unless it was a dead letter, how it was compressed. */
    record Result(ProducerRecord<String, byte[]> record, RationaleCompressor.Outcome outcome) {
        static Result deadLetter(ProducerRecord<String, byte[]> record) {
            return new Result(record, null);
        }
    }
}
