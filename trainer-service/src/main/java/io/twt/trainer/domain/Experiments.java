package io.twt.trainer.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.twt.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Experiments and their frozen pools, durable in the model store: {@code experiments/experiments.json} (the
 * ledger, replaced atomically on every change) and {@code experiments/snapshots/<id>.json} (each pool, written
 * once). An experiment runs its recipes one after another, each as its own round over the same pool; which round
 * is whose is in the round ledger (a round carries its experiment), so there is one record of it to resume from.
 */
public final class Experiments {

    /**
     * One experiment.
     *
     * @param teacher    twt-single-teacher's teacher; null when that recipe is not run
     * @param compressor twt-compressor's compressor (a teacher that did not write the rationales); null when not run
     * @param threshold  s of the confidence and log-probability selections
     * @param rationaleWeight step-by-step's lambda (L = L_label + lambda * L_rationale); null: the paper's 1
     * @param evalLimit  the eval queries per task kind every row of the experiment is scored on, the first N of
     *                   eval-service's eval split in its order; null: the whole split
     */
    public record Experiment(String id, String snapshot, List<String> recipes, String teacher, String compressor,
                             double threshold, Instant createdAt, boolean complete, Double rationaleWeight,
                             Integer evalLimit) {

        Experiment completed() {
            return new Experiment(id, snapshot, recipes, teacher, compressor, threshold, createdAt, true, rationaleWeight,
                    evalLimit);
        }

        /** The rows each of its recipes trains on, from its pool. */
        public PoolSelection selection(String recipe) {
            return PoolSelection.forRecipe(recipe, threshold, teacher);
        }

        /** A recipe with this experiment's settings. */
        public StageRecipe recipe(String name) {
            return StageRecipe.named(name).withRationaleWeight(
                    rationaleWeight == null ? StageRecipe.PAPER_RATIONALE_WEIGHT : rationaleWeight);
        }
    }

    /**
     * What an experiment is asked to run with, besides its pool and recipes.
     *
     * @param teacher         twt-single-teacher's teacher, or null
     * @param compressor      twt-compressor's compressor, or null
     * @param threshold       s of the confidence and log-probability selections
     * @param rationaleWeight step-by-step's lambda, or null for the paper's 1
     * @param evalLimit       eval queries per task kind (the first N of the split), or null for all
     */
    public record Options(String teacher, String compressor, double threshold, Double rationaleWeight, Integer evalLimit) {

        public Options(String teacher, String compressor, double threshold) {
            this(teacher, compressor, threshold, null, null);
        }
    }

    /** The experiments' folder in the model store. */
    public static final String DIR = "experiments";

    private final Path dir;
    private final TreeMap<String, Experiment> experiments = new TreeMap<>();

    private Experiments(Path dir) {
        this.dir = dir;
    }

    public static Experiments open(Path dir) {
        Experiments store = new Experiments(dir);
        Path file = store.ledgerFile();
        try {
            if (Files.exists(file)) {
                List<Experiment> entries = Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Experiment>>() { });
                entries.forEach(entry -> store.experiments.put(entry.id(), entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the experiment ledger " + file, e);
        }
        return store;
    }

    private Path ledgerFile() {
        return dir.resolve("experiments.json");
    }

    private Path snapshotFile(String snapshot) {
        if (!snapshot.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a snapshot id: '" + snapshot + "'");
        }
        return dir.resolve("snapshots").resolve(snapshot + ".json");
    }

    /** Keeps a pool; its id must be new, since experiments refer to a pool by id and a pool never changes. */
    public synchronized void keep(PoolSnapshot pool) {
        Path file = snapshotFile(pool.id());
        if (Files.exists(file)) {
            throw new IllegalStateException("snapshot " + pool.id() + " exists already");
        }
        try {
            DurableFile.replace(file, Json.MAPPER.writeValueAsBytes(pool));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + file, e);
        }
    }

    public boolean hasSnapshot(String snapshot) {
        return Files.exists(snapshotFile(snapshot));
    }

    public PoolSnapshot snapshot(String snapshot) {
        Path file = snapshotFile(snapshot);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no snapshot " + snapshot);
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), PoolSnapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
    }

    /** Registers a new experiment over a kept pool; its recipes and options are checked before anything runs. */
    public synchronized Experiment create(String id, String snapshot, List<String> recipes, Options options, Instant now) {
        if (experiments.containsKey(id)) {
            throw new IllegalArgumentException("experiment " + id + " exists already");
        }
        check(recipes, options);
        if (!hasSnapshot(snapshot)) {
            throw new IllegalArgumentException("no snapshot " + snapshot);
        }
        PoolSnapshot pool = snapshot(snapshot);
        for (String recipe : recipes) {
            try {
                PoolSelection.forRecipe(recipe, options.threshold(), options.teacher()).rows(pool);
            } catch (IllegalStateException unusable) {
                // a pool kept before pools held embeddings cannot run a diversity selection
                throw new IllegalArgumentException(recipe + ": " + unusable.getMessage(), unusable);
            }
        }
        return save(new Experiment(id, snapshot, List.copyOf(recipes), options.teacher(), options.compressor(),
                options.threshold(), now, false, options.rationaleWeight(), options.evalLimit()));
    }

    /**
     * Refuses recipes that cannot run as asked: unknown, repeated, missing their teacher or compressor, or with a
     * rationale weight or eval limit out of range.
     */
    public static void check(List<String> recipes, Options options) {
        if (recipes.isEmpty() || recipes.stream().distinct().count() != recipes.size()) {
            throw new IllegalArgumentException("an experiment needs one or more distinct recipes, got " + recipes);
        }
        recipes.forEach(recipe -> PoolSelection.forRecipe(recipe, options.threshold(), options.teacher()));
        if (recipes.contains("twt-compressor") && (options.compressor() == null || options.compressor().isBlank())) {
            throw new IllegalArgumentException("twt-compressor needs a compressor teacher (--compressor NAME)");
        }
        if (options.rationaleWeight() != null) {
            StageRecipe.stepByStep().withRationaleWeight(options.rationaleWeight());
        }
        if (options.evalLimit() != null && options.evalLimit() < 1) {
            throw new IllegalArgumentException("an eval limit is 1 or more queries per task kind, got " + options.evalLimit());
        }
    }

    public synchronized List<Experiment> all() {
        return List.copyOf(experiments.values());
    }

    public synchronized Optional<Experiment> get(String id) {
        return Optional.ofNullable(experiments.get(id));
    }

    /** The oldest experiment not yet complete. */
    public synchronized Optional<Experiment> unfinished() {
        return experiments.values().stream().filter(e -> !e.complete())
                .min((a, b) -> a.createdAt().compareTo(b.createdAt()));
    }

    public synchronized Experiment complete(String id) {
        return save(experiments.get(id).completed());
    }

    /** A recipe of an experiment, with the experiment's settings. */
    public StageRecipe recipe(String id, String recipe) {
        return get(id).orElseThrow(() -> new IllegalArgumentException("no experiment " + id)).recipe(recipe);
    }

    /** The rows a recipe of an experiment trains on. */
    public List<DistillRow> rows(String id, String recipe) {
        Experiment experiment = get(id).orElseThrow(() -> new IllegalArgumentException("no experiment " + id));
        return experiment.selection(recipe).rows(snapshot(experiment.snapshot()));
    }

    private Experiment save(Experiment experiment) {
        experiments.put(experiment.id(), experiment);
        try {
            DurableFile.replace(ledgerFile(), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(experiments.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the experiment ledger " + ledgerFile(), e);
        }
        return experiment;
    }
}
