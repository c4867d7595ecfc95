package io.twt.eval.outgoing;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.Record;
import io.twt.common.EvalReport;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import io.twt.eval.domain.ExperimentScopes;
import io.twt.eval.domain.ReportLedger;
import io.twt.eval.domain.scoring.TaskScore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes one {@code twt.eval-reports} record per (round, stage, task, model), after writing its
 * per-example results to the model store; returns only once Kafka has the record, so the model version
 * that caused it is acknowledged after its reports are safe.
 */
@ApplicationScoped
public class ReportPublisher {

    private static final RecordCodec<EvalReport> REPORTS = Topic.EVAL_REPORTS.codec(EvalReport.class);

    private final Emitter<Record<String, String>> emitter;
    private final ExampleStore store;
    private final ReportLedger ledger;
    private final MeterRegistry registry;

    public ReportPublisher(@Channel("eval-reports-out") Emitter<Record<String, String>> emitter, ExampleStore store,
                           ReportLedger ledger, MeterRegistry registry) {
        this.emitter = emitter;
        this.store = store;
        this.ledger = ledger;
        this.registry = registry;
    }

    /** Rows that belong to no base model: the teachers and the chance row. */
    public void publish(String model, int round, int stage, String recipe, Map<TaskKind, TaskScore> scores) {
        publish(model, round, stage, recipe, null, scores);
    }

    /** The vanilla row, with the base model it was scored on. */
    public void publish(String model, int round, int stage, String recipe, String baseModel,
                        Map<TaskKind, TaskScore> scores) {
        scores.values().forEach(score -> publish(model, round, stage, recipe, baseModel, score));
    }

    /**
     * A baseline's rows (a teacher, vanilla or chance) scored for one experiment with an eval limit, on its first N
     * eval queries; labelled with it, under keys of their own.
     */
    public void publish(String model, String recipe, String baseModel, ExperimentScopes.Scope scope,
                        Map<TaskKind, TaskScore> scores) {
        scores.values().forEach(score -> publish(model, 0, 0, recipe, baseModel, scope.experiment(), scope.snapshot(), score));
    }

    /** A trained version's rows, labelled with its recipe and, where it has one, its experiment and pool snapshot. */
    public void publish(ModelVersion version, Map<TaskKind, TaskScore> scores) {
        scores.values().forEach(score -> publish("student", version.round(), version.stage(), version.recipe(),
                version.baseModel(), version.experiment(), version.snapshot(), score));
    }

    public EvalReport publish(String model, int round, int stage, String recipe, String baseModel, TaskScore score) {
        return publish(model, round, stage, recipe, baseModel, null, null, score);
    }

    private EvalReport publish(String model, int round, int stage, String recipe, String baseModel, String experiment,
                               String snapshot, TaskScore score) {
        // a student's round is its own; a baseline scored for an experiment shares round 0 with the whole-split one
        String uri = store.write(model, model.equals("student") ? null : experiment, round, stage, recipe, score);
        EvalReport report = new EvalReport(SchemaVersion.CURRENT, round, stage, recipe, model, score.task(),
                score.metric(), score.value(), score.n(), score.avgOutputTokens(), score.outputTokenDistribution(), uri,
                baseModel, experiment, snapshot);
        report.validate();
        try {
            emitter.send(Record.of(report.key(), REPORTS.encodeString(report))).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + report.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish eval report " + report.key(), e);
        }
        ledger.record(report);
        registry.counter("twt.eval.reports", "task", score.task().wire(), "model", model).increment();
        return report;
    }
}
