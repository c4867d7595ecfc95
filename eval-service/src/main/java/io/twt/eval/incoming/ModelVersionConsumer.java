package io.twt.eval.incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.eval.EvalSettings;
import io.twt.eval.domain.ReportLedger;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.eval.domain.student.LmStudentLoader;
import io.twt.eval.domain.student.VersionEvaluator;
import io.twt.eval.outgoing.ReportPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evaluates every model version on {@code twt.model-versions}: first, once, the chance row (counted with the
 * base model's tokenizer, which only a model version names), then once the vanilla student (no adapter), then the
 * version itself; one report per task each. Whatever the {@link ReportLedger} already holds (committed before a
 * restart, or by an earlier version) is not evaluated again, so a redelivered version and any start order give
 * each report once. A malformed record goes to {@code twt.model-versions.dlq}.
 */
@ApplicationScoped
public class ModelVersionConsumer {

    private static final Logger LOG = Logger.getLogger(ModelVersionConsumer.class);
    private static final RecordCodec<ModelVersion> VERSIONS = RecordCodec.of(ModelVersion.class);

    private final VersionEvaluator evaluator;
    private final ReportPublisher publisher;
    private final ReportLedger ledger;
    private final EvalSettings settings;
    private final Path modelStore;
    private final Timer timer;

    public ModelVersionConsumer(VersionEvaluator evaluator, ReportPublisher publisher, ReportLedger ledger,
                                EvalSettings settings, @ConfigProperty(name = "twt.model-store") String modelStore,
                                MeterRegistry registry) {
        this.evaluator = evaluator;
        this.publisher = publisher;
        this.ledger = ledger;
        this.settings = settings;
        this.modelStore = Path.of(modelStore);
        this.timer = registry.timer("twt.eval.model.version");
    }

    @Incoming("model-versions")
    @Blocking
    public void consume(byte[] value) {
        ModelVersion version = VERSIONS.decode(value);
        Path base = resolve(version.baseModel());
        Set<TaskKind> tasks = evaluator.evalSets().keySet();
        if (!ledger.reported(0, 0, "chance", null, tasks)) {
            LOG.info("scoring the chance row (the most frequent gold answer per task kind)");
            publisher.publish("chance", 0, 0, null, LmStudentLoader.withTokenCounter(base, evaluator::evaluateChance));
        }
        if (settings.vanilla() && !ledger.vanillaReported(version.baseModel(), tasks)) {
            LOG.infof("evaluating the vanilla student %s", base);
            publisher.publish("vanilla", 0, 0, "vanilla", version.baseModel(),
                    evaluator.evaluateVanilla(base, settings.vanillaMaxNewTokens()));
        }
        if (ledger.reported(version.round(), version.stage(), "student", version.recipe(), tasks)) {
            LOG.infof("round %d stage %d (%s) is already reported; not evaluated again", version.round(), version.stage(),
                    version.recipe());
            return;
        }
        Path adapter = version.adapterUri() == null ? null : resolve(version.adapterUri());
        LOG.infof("evaluating round %d stage %d (%s): %s + %s, longest training completion %s tokens", version.round(),
                version.stage(), version.recipe(), base, adapter, version.maxCompletionTokens());
        Map<TaskKind, TaskScore> scores = timer.record(() -> evaluator.evaluate(base, adapter, version.servedName(),
                version.maxCompletionTokens()));
        publisher.publish(version, scores);
        scores.values().forEach(score -> LOG.infof("round %d stage %d: %s", version.round(), version.stage(), score.summaryLine()));
    }

    /** Model paths arrive as file URIs or paths; relative paths are inside the model store. */
    private Path resolve(String location) {
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return path.isAbsolute() ? path : modelStore.resolve(path);
    }
}
