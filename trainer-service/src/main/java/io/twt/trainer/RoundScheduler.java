package io.twt.trainer;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.twt.trainer.domain.DistillationSet;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.RoundRunner;
import io.twt.trainer.domain.RoundTrigger;
import io.twt.trainer.domain.StageRecipe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Starts rounds on one thread, one at a time: first any round a previous process left unfinished, then a new
 * one whenever the trigger fires. G keeps growing meanwhile; a round trains on its own snapshot.
 */
@ApplicationScoped
public class RoundScheduler {

    private static final Logger LOG = Logger.getLogger(RoundScheduler.class);

    private final TrainerSettings settings;
    private final DistillationSet set;
    private final RoundLedger ledger;
    private final RoundRunner runner;
    private final RoundTrigger trigger;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public RoundScheduler(TrainerSettings settings, DistillationSet set, RoundLedger ledger, RoundRunner runner) {
        this.settings = settings;
        this.set = set;
        this.ledger = ledger;
        this.runner = runner;
        this.trigger = new RoundTrigger(settings.round().minNewQueries());
    }

    void start(@Observes StartupEvent event) {
        StageRecipe.named(settings.recipe());
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
