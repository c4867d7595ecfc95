package io.twt.eval.incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import io.twt.eval.EvalSettings;
import io.twt.eval.domain.ExperimentScopes;
import io.twt.eval.domain.ReportLedger;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.eval.domain.model.LmModelLoader;
import io.twt.eval.domain.model.VersionEvaluator;
import io.twt.eval.outgoing.ReportPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evaluates every model version on {@code twt.model-versions}: first, once, the chance row (counted with the
 * base model's tokenizer, which only a model version names), then once the vanilla student (no adapter), then the
 * version itself; one report per task each. Whatever the {@link ReportLedger} already holds (committed before a
 * restart, or by an earlier version) is not evaluated again, so a redelivered version and any start order give
 * each report once. A version of an experiment with an eval limit is scored on the first N eval queries per task
 * kind, and so are that experiment's own chance, vanilla and (through {@link ExperimentScopes}) teacher rows. A
 * malformed record goes to {@code twt.model-versions.dlq}.
 */
@ApplicationScoped
public class ModelVersionConsumer {

    private static final Logger LOG = Logger.getLogger(ModelVersionConsumer.class);
    private static final RecordCodec<ModelVersion> VERSIONS = Topic.MODEL_VERSIONS.codec(ModelVersion.class);

    private final VersionEvaluator evaluator;
    private final ReportPublisher publisher;
    private final ReportLedger ledger;
    private final ExperimentScopes scopes;
    private final EvalSettings settings;
    private final Path modelStore;
    private final Timer timer;

    public ModelVersionConsumer(VersionEvaluator evaluator, ReportPublisher publisher, ReportLedger ledger,
                                ExperimentScopes scopes, EvalSettings settings, MeterRegistry registry) {
        this.evaluator = evaluator;
        this.publisher = publisher;
        this.ledger = ledger;
        this.scopes = scopes;
        this.settings = settings;
        this.modelStore = Path.of(settings.modelStore());
        this.timer = registry.timer("twt.eval.model.version");
    }

    @Incoming("model-versions")
    @Blocking
    public void consume(byte[] value) {
        ModelVersion version = VERSIONS.decode(value);
        Path base = resolve(version.baseModel());
        Set<TaskKind> tasks = evaluator.evalSets().keySet();
        VersionEvaluator scoped = evaluator.limitedTo(version.evalLimit());
        if (version.evalLimit() != null && version.experiment() != null) {
            // its own baselines on its ids; the whole split's wait for a version that is scored on it
            scoreBaselinesFor(new ExperimentScopes.Scope(version.experiment(), version.snapshot(), scoped.evalIds()),
                    scoped, base, version.baseModel(), tasks);
        } else {
            scoreBaselines(base, version.baseModel(), tasks);
        }
        if (ledger.reported(version.round(), version.stage(), "student", version.recipe(), tasks)) {
            LOG.infof("round %d stage %d (%s) is already reported; not evaluated again", version.round(), version.stage(),
                    version.recipe());
            return;
        }
        Path adapter = version.adapterUri() == null ? null : resolve(version.adapterUri());
        LOG.infof("evaluating round %d stage %d (%s): %s + %s, longest training completion %s tokens", version.round(),
                version.stage(), version.recipe(), base, adapter, version.maxCompletionTokens());
        Map<TaskKind, TaskScore> scores = timer.record(() -> scoped.evaluate(base, adapter, version.servedName(),
                version.maxCompletionTokens()));
        publisher.publish(version, scores);
        scores.values().forEach(score -> LOG.infof("round %d stage %d: %s", version.round(), version.stage(), score.summaryLine()));
    }

    /** The chance row and the vanilla student on the whole eval split, once each. */
    private void scoreBaselines(Path base, String baseModel, Set<TaskKind> tasks) {
        if (!ledger.reported(0, 0, "chance", null, tasks)) {
            LOG.info("scoring the chance row (the most frequent gold answer per task kind)");
            publisher.publish("chance", 0, 0, null, LmModelLoader.withTokenCounter(base, evaluator::evaluateChance));
        }
        if (settings.vanilla() && !ledger.vanillaReported(baseModel, tasks)) {
            LOG.infof("evaluating the vanilla student %s", base);
            publisher.publish("vanilla", 0, 0, "vanilla", baseModel,
                    evaluator.evaluateVanilla(base, settings.vanillaMaxNewTokens()));
        }
    }

    /**
     * An experiment's own chance and vanilla rows on its first N eval queries, once each; its teachers' rows follow
     * from the scope ({@code TeacherReportPublisher}).
     */
    private void scoreBaselinesFor(ExperimentScopes.Scope scope, VersionEvaluator scoped, Path base, String baseModel,
                                   Set<TaskKind> tasks) {
        scopes.add(scope);
        if (!ledger.reportedFor(scope.experiment(), "chance", tasks)) {
            LOG.infof("scoring the chance row of experiment %s on its first eval queries", scope.experiment());
            publisher.publish("chance", null, null, scope, LmModelLoader.withTokenCounter(base, scoped::evaluateChance));
        }
        if (settings.vanilla() && !ledger.reportedFor(scope.experiment(), "vanilla", tasks)) {
            LOG.infof("evaluating the vanilla student of experiment %s on its first eval queries", scope.experiment());
            publisher.publish("vanilla", "vanilla", baseModel, scope, scoped.evaluateVanilla(base, settings.vanillaMaxNewTokens()));
        }
    }

    /** Model paths arrive as file URIs or paths; relative paths are inside the model store. */
    private Path resolve(String location) {
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return path.isAbsolute() ? path : modelStore.resolve(path);
    }
}
