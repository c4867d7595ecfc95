package io.twt.trainer;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.twt.common.CompressionMethod;
import io.twt.common.selection.QualityCriterion;
import io.twt.trainer.domain.DistillationSet;
import io.twt.trainer.domain.ExperimentRunner;
import io.twt.trainer.domain.ExperimentStatus;
import io.twt.trainer.domain.Experiments;
import io.twt.trainer.domain.PoolSelection;
import io.twt.trainer.domain.PoolSnapshot;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.RoundRunner;
import io.twt.trainer.domain.RoundTrigger;
import io.twt.trainer.domain.StageRecipe;
import io.twt.trainer.outgoing.KafkaPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Starts rounds on one thread, one at a time: first any round a previous process left unfinished, then the
 * recipes of any experiment not yet complete, then a new live round whenever the trigger fires. G keeps growing
 * meanwhile; a round trains on its own snapshot of G, an experiment's rounds on the experiment's frozen pool.
 */
@ApplicationScoped
public class RoundScheduler {

    private static final Logger LOG = Logger.getLogger(RoundScheduler.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final TrainerSettings settings;
    private final DistillationSet set;
    private final RoundLedger ledger;
    private final RoundRunner runner;
    private final Experiments experiments;
    private final ExperimentRunner experimentRunner;
    private final KafkaPool pool;
    private final RoundTrigger trigger;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public RoundScheduler(TrainerSettings settings, DistillationSet set, RoundLedger ledger, RoundRunner runner,
                          Experiments experiments, ExperimentRunner experimentRunner, KafkaPool pool) {
        this.settings = settings;
        this.set = set;
        this.ledger = ledger;
        this.runner = runner;
        this.experiments = experiments;
        this.experimentRunner = experimentRunner;
        this.pool = pool;
        this.trigger = new RoundTrigger(settings.round().minNewQueries());
    }

    void start(@Observes StartupEvent event) {
        StageRecipe live = StageRecipe.named(settings.recipe());
        if (!PoolSelection.forRecipe(live.name(), QualityCriterion.PAPER_THRESHOLD, "any").equals(PoolSelection.dcrs())
                || live.compression() != CompressionMethod.TEACHER_GUIDED) {
            throw new IllegalArgumentException("twt.trainer.recipe " + live.name() + " selects or compresses other than"
                    + " DCRS and the teachers do: run it in an experiment (POST /experiments), over a frozen pool");
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> Thread.ofPlatform().name("rounds").unstarted(task));
        long interval = settings.round().checkInterval().toMillis();
        executor.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    public void request() {
        requested.set(true);
        executor.execute(this::tick);
    }

    private void tick() {
        try {
            ledger.unfinished().ifPresent(unfinished -> {
                LOG.infof("resuming round %d (%s) over %d queries", unfinished.round(), unfinished.recipe(),
                        unfinished.snapshotQueries());
                run(unfinished.round());
            });
            experiments.unfinished().ifPresent(experiment -> {
                LOG.infof("experiment %s: recipes %s over pool %s", experiment.id(), experiment.recipes(),
                        experiment.snapshot());
                running.set(true);
                try {
                    experimentRunner.run(experiment.id());
                    LOG.infof("experiment %s complete", experiment.id());
                } finally {
                    running.set(false);
                }
            });
            if (trigger.shouldStart(set.size(), ledger.lastSnapshot(), requested.get())) {
                requested.set(false);
                RoundLedger.RoundEntry round = runner.open(StageRecipe.named(settings.recipe()));
                LOG.infof("round %d (%s) starts over %d queries of G", round.round(), round.recipe(), round.snapshotQueries());
                run(round.round());
            }
        } catch (RuntimeException e) {
            LOG.error("round failed; it is resumed at the next check", e);
        }
    }

    private void run(int round) {
        running.set(true);
        try {
            runner.run(round);
            LOG.infof("round %d complete", round);
        } finally {
            running.set(false);
        }
    }

    /**
     * Registers an experiment over a new pool snapshot ({@code snapshot} null or "now") or a kept one, and wakes the
     * round thread for it; the recipes and their options are checked before anything is kept.
     */
    public ExperimentStatus startExperiment(List<String> recipes, String snapshot, Experiments.Options options) {
        Instant now = Instant.now();
        String stamp = STAMP.format(now);
        Experiments.check(recipes, options);
        String poolId = snapshot;
        if (snapshot == null || snapshot.equals("now")) {
            poolId = unused("pool-" + stamp, experiments::hasSnapshot);
            PoolSnapshot taken = pool.take(poolId, now);
            if (taken.queries().isEmpty()) {
                throw new IllegalArgumentException("no decided distillation queries yet: push queries and wait for DCRS");
            }
            experiments.keep(taken);
        }
        String id = unused("exp-" + stamp, candidate -> experiments.get(candidate).isPresent());
        Experiments.Experiment experiment = experiments.create(id, poolId, recipes, options, now);
        executor.execute(this::tick);
        return ExperimentStatus.of(experiment, experiments.snapshot(poolId), experimentRunner);
    }

    private static String unused(String base, Predicate<String> taken) {
        String candidate = base;
        for (int n = 2; taken.test(candidate); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    public List<ExperimentStatus> experiments() {
        return experiments.all().stream().map(this::status).toList();
    }

    public Optional<ExperimentStatus> experiment(String id) {
        return experiments.get(id).map(this::status);
    }

    private ExperimentStatus status(Experiments.Experiment experiment) {
        return ExperimentStatus.of(experiment, experiments.snapshot(experiment.snapshot()), experimentRunner);
    }

    public int setSize() {
        return set.size();
    }

    public int lastSnapshot() {
        return ledger.lastSnapshot();
    }

    public boolean running() {
        return running.get();
    }

    public List<RoundLedger.RoundEntry> rounds() {
        return ledger.rounds();
    }
}
