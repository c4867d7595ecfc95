package io.twt.eval.incoming;

import io.twt.common.EvalReport;
import io.twt.common.InvalidRecordException;
import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import io.twt.eval.domain.ReportLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads {@code twt.eval-reports} from its beginning to its end, synchronously, into the {@link ReportLedger} that
 * the consumers consult before they evaluate anything. Unlike the dashboard's own consumer of that topic, this
 * read is finished before the first model version or teacher output is handled, so no start order lets a report
 * be computed twice. No consumer group: nothing is committed.
 */
public class CommittedReports {

    private static final Logger LOG = Logger.getLogger(CommittedReports.class);
    private static final RecordCodec<EvalReport> REPORTS = RecordCodec.of(EvalReport.class);

    @Produces
    @ApplicationScoped
    ReportLedger ledger(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        long started = System.nanoTime();
        List<EvalReport> reports = readToEnd(bootstrap);
        LOG.infof("%d committed eval reports read in %d ms", reports.size(), (System.nanoTime() - started) / 1_000_000);
        return new ReportLedger(reports);
    }

    static List<EvalReport> readToEnd(String bootstrap) {
        List<EvalReport> reports = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.EVAL_REPORTS.topicName()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        reports.add(REPORTS.decode(record.value()));
                    } catch (InvalidRecordException e) {
                        LOG.warnf("skipping an invalid eval report at %s-%d@%d: %s", record.topic(), record.partition(),
                                record.offset(), e.getMessage());
                    }
                }
            }
        }
        return reports;
    }
}
