package io.twt.trainer.domain;

import java.util.Optional;

/**
 * Runs an experiment's recipes one after another, each as its own round over the experiment's pool, and picks up
 * where a crashed run stopped: a recipe whose round is in the ledger is resumed (or skipped when complete), never
 * opened a second time.
 */
public final class ExperimentRunner {

    private final Experiments experiments;
    private final RoundLedger ledger;
    private final RoundRunner rounds;

    public ExperimentRunner(Experiments experiments, RoundLedger ledger, RoundRunner rounds) {
        this.experiments = experiments;
        this.ledger = ledger;
        this.rounds = rounds;
    }

    /** Runs (or finishes) every recipe of the experiment, then marks it complete. */
    public Experiments.Experiment run(String id) {
        Experiments.Experiment experiment = experiments.get(id).orElseThrow(() -> new IllegalArgumentException("no experiment " + id));
        for (String recipe : experiment.recipes()) {
            RoundLedger.RoundEntry round = roundOf(id, recipe).orElseGet(() -> rounds.open(experiment, recipe));
            if (!round.complete()) {
                rounds.run(round.round());
            }
        }
        return experiments.complete(id);
    }

    /** The round a recipe of an experiment runs as, once opened. */
    public Optional<RoundLedger.RoundEntry> roundOf(String experiment, String recipe) {
        return ledger.rounds().stream().filter(r -> experiment.equals(r.experiment()) && recipe.equals(r.recipe())).findFirst();
    }
}
