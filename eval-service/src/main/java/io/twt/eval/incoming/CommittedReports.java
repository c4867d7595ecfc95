package io.twt.eval.incoming;

import io.twt.common.EvalReport;
import io.twt.common.InvalidRecordException;
import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import io.twt.eval.domain.ReportLedger;
import io.twt.kafka.edge.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;
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
    private static final RecordCodec<EvalReport> REPORTS = Topic.EVAL_REPORTS.codec(EvalReport.class);

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
        new KafkaClients(bootstrap).topicReader("eval-committed-reports").readToEnd(Topic.EVAL_REPORTS.topicName(), record -> {
            if (record.value() == null) {
                return;
            }
            try {
                reports.add(REPORTS.decode(record.value()));
            } catch (InvalidRecordException e) {
                LOG.warnf("skipping an invalid eval report at %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        });
        return reports;
    }
}
