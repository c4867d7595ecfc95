package io.twt.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.twt.lm.TrainingListener;
import io.twt.lm.TrainingProgress;
import java.util.Optional;
import io.twt.trainer.domain.CompressedSet;
import io.twt.trainer.domain.RoundListener;
import io.twt.trainer.domain.TrainableStudent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/** Training progress, tokens/s and compression accounting as Prometheus metrics and log lines. */
@Startup
@ApplicationScoped
public class TrainerMetrics implements RoundListener, TrainingListener {

    private static final Logger LOG = Logger.getLogger(TrainerMetrics.class);

    private final MeterRegistry registry;
    private final AtomicReference<TrainingProgress> last = new AtomicReference<>();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("twt.trainer.step", last, ref -> ref.get() == null ? 0 : ref.get().step());
        registry.gauge("twt.trainer.total.steps", last, ref -> ref.get() == null ? 0 : ref.get().totalSteps());
        registry.gauge("twt.trainer.loss", last, ref -> ref.get() == null ? Double.NaN : ref.get().loss());
        registry.gauge("twt.trainer.tokens.per.second", last, ref -> ref.get() == null ? 0 : ref.get().tokensPerSecond());
    }

    /** The latest optimizer step of the stage training now, if any has run. */
    public Optional<TrainingProgress> lastStep() {
        return Optional.ofNullable(last.get());
    }

    @Override
    public void onStep(TrainingProgress progress) {
        last.set(progress);
        // lm logs every step itself (loss, learning rate, tokens/s, ETA); here it becomes metrics
        registry.counter("twt.trainer.optimizer.steps").increment();
    }

    @Override
    public void stageTrained(int round, int stage, TrainableStudent.TrainedStage trained, int examples) {
        registry.counter("twt.trainer.stages").increment();
        registry.counter("twt.trainer.train.tokens").increment(trained.trainTokens());
        LOG.infof("round %d stage %d trained on %d examples (%d tokens) in %.1fs, loss %.4f%s", round, stage, examples,
                trained.trainTokens(), trained.seconds(), trained.loss(),
                trained.resumedFrom() > 0 ? ", resumed from step " + trained.resumedFrom() : "");
    }

    @Override
    public void compressionCollected(int round, int afterStage, CompressedSet collected) {
        registry.counter("twt.trainer.compressed.rationales", "method", "teacher-guided").increment(collected.teacherGuided());
        registry.counter("twt.trainer.compressed.rationales", "method", "fallback-original").increment(collected.fallbacks());
        registry.counter("twt.trainer.compressed.rationales.missing").increment(collected.missing());
        LOG.infof("round %d compression after stage %d: %d drafts, %d teacher-guided, %d fallbacks, %d missing;"
                        + " mean tokens %.1f -> %.1f", round, afterStage, collected.drafts(), collected.teacherGuided(),
                collected.fallbacks(), collected.missing(), collected.originalTokensMean(), collected.compressedTokensMean());
    }
}
