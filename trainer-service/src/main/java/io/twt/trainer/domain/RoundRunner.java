package io.twt.trainer.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentDraft;
import io.twt.common.StudentPrompt;
import io.twt.trainer.domain.RoundLedger.Announcement;
import io.twt.trainer.domain.RoundLedger.CompressionEntry;
import io.twt.trainer.domain.RoundLedger.RoundEntry;
import io.twt.trainer.domain.RoundLedger.StageEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one round of a recipe over a snapshot of G, stage after stage, and picks up where a crashed run
 * stopped: every step's outcome is in the {@link RoundLedger} before the next step starts. A stage that was
 * training resumes from its last checkpoint; a model version whose sending was interrupted is sent only if
 * the topic does not have it; a compression pass resends only the drafts that never got through.
 */
public final class RoundRunner {

    private final DistillationSet set;
    private final Experiments experiments;
    private final RoundLedger ledger;
    private final TrainableStudent student;
    private final DraftExchange exchange;
    private final VersionBoard versions;
    private final RoundListener listener;
    private final Path store;
    private final Duration compressionDeadline;

    public RoundRunner(DistillationSet set, Experiments experiments, RoundLedger ledger, TrainableStudent student,
                       DraftExchange exchange, VersionBoard versions, RoundListener listener, Path store,
                       Duration compressionDeadline) {
        this.set = set;
        this.experiments = experiments;
        this.ledger = ledger;
        this.student = student;
        this.exchange = exchange;
        this.versions = versions;
        this.listener = listener;
        this.store = store;
        this.compressionDeadline = compressionDeadline;
    }

    /** Opens a round over G as it is now. */
    public RoundEntry open(StageRecipe recipe) {
        int snapshot = set.size();
        Path base = student.baseModel(set.rows(snapshot));
        return ledger.startRound(recipe.name(), snapshot, base.toString());
    }

    /** Opens the round of one recipe of an experiment, over the experiment's pool. */
    public RoundEntry open(Experiments.Experiment experiment, String recipe) {
        PoolSnapshot pool = experiments.snapshot(experiment.snapshot());
        Path base = student.baseModel(experiment.selection(recipe).rows(pool));
        return ledger.startRound(recipe, pool.queries().size(), base.toString(), experiment.id(), experiment.snapshot());
    }

    /** Runs (or finishes) the round to its end. */
    public RoundEntry run(int round) {
        RoundEntry entry = ledger.round(round).orElseThrow();
        StageRecipe recipe = entry.live() ? StageRecipe.named(entry.recipe())
                : experiments.recipe(entry.experiment(), entry.recipe());
        List<DistillRow> rows = entry.live() ? set.rows(entry.snapshotQueries()) : experiments.rows(entry.experiment(), entry.recipe());
        Path base = Path.of(entry.baseModel());
        TrainableStudent.Weights previous = null;
        Map<String, String> compressed = Map.of();
        for (StageRecipe.Stage stage : recipe.stages()) {
            StageEntry trained = ledger.round(round).orElseThrow().stage(stage.number()).orElse(null);
            if (trained == null) {
                trained = train(round, recipe, stage, rows, base, previous, compressed);
            }
            announce(entry, base, trained);
            previous = new TrainableStudent.Weights(Path.of(trained.weightsDir()), trained.fullWeights());
            if (stage.compressAfter()) {
                compressed = compress(entry, recipe, stage.number(), rows, base, previous, trained.maxCompletionTokens(),
                        compressed);
            }
        }
        return ledger.complete(round);
    }

    private StageEntry train(int round, StageRecipe recipe, StageRecipe.Stage stage, List<DistillRow> rows, Path base,
                             TrainableStudent.Weights previous, Map<String, String> compressed) {
        List<StageRecipe.Example> examples = recipe.examples(stage, rows, round, compressed);
        Path workDir = roundDir(round).resolve("stage-" + stage.number());
        writeExamples(workDir.resolve("train.jsonl"), examples);
        TrainableStudent.TrainedStage trained = student.train(new TrainableStudent.StageJob(round, stage.number(), stage.target(), recipe.name(), base, previous,
                examples, workDir));
        listener.stageTrained(round, stage.number(), trained, examples.size());
        StageEntry entry = new StageEntry(stage.number(), trained.weights().dir().toString(), trained.weights().full(),
                examples.size(), trained.trainTokens(), trained.loss(), trained.seconds(), trained.resumedFrom(),
                Announcement.NONE, trained.maxCompletionTokens());
        ledger.record(round, entry);
        return entry;
    }

    private void announce(RoundEntry round, Path base, StageEntry stage) {
        if (stage.announcement() == Announcement.SENT) {
            return;
        }
        ModelVersion version = new ModelVersion(SchemaVersion.CURRENT, round.round(), stage.stage(), round.recipe(),
                base.toString(), Path.of(stage.weightsDir()).toUri().toString(), stage.trainExamples(), stage.trainTokens(),
                stage.loss(), stage.seconds(), stage.maxCompletionTokens(), round.experiment(), round.snapshot(),
                round.live() ? null : experiments.get(round.experiment()).map(Experiments.Experiment::evalLimit).orElse(null));
        // SENDING before the send: after a crash we look on the topic instead of sending blindly a second time
        if (stage.announcement() == Announcement.NONE || !versions.contains(version)) {
            ledger.record(round.round(), stage.announced(Announcement.SENDING));
            versions.announce(version);
        }
        ledger.record(round.round(), stage.announced(Announcement.SENT));
    }

    /** {@code current}: the rationales the stage trained on, compressed again by a second pass (four-stage variant). */
    private Map<String, String> compress(RoundEntry entry, StageRecipe recipe, int afterStage, List<DistillRow> rows, Path base,
                                         TrainableStudent.Weights weights, Integer completionTokens, Map<String, String> current) {
        int round = entry.round();
        Path file = compressedFile(store, round, afterStage);
        CompressionEntry pass = ledger.round(round).orElseThrow().compressionAfter(afterStage).orElse(null);
        if (pass != null && pass.complete()) {
            return readRationales(file);
        }
        if (pass == null) {
            pass = new CompressionEntry(afterStage, exchange.draftEndOffsets(), exchange.compressedEndOffsets(),
                    false, false, rows.size(), 0, 0, 0, 0, 0);
            ledger.record(round, pass);
        }
        if (!pass.draftsSent()) {
            Set<String> alreadySent = exchange.draftKeysSince(pass.draftOffsets());
            String servedName = ModelVersion.servedName(recipe.name(), round, afterStage);
            exchange.send(drafts(round, rows, base, servedName, weights, completionTokens, current, alreadySent,
                    compressionOf(entry, recipe), compressorOf(entry, recipe)));
            pass = pass.sent();
            ledger.record(round, pass);
        }
        Set<String> keys = new HashSet<>();
        rows.forEach(row -> keys.add(row.draftKey(round)));
        Map<String, CompressedRationale> received = exchange.await(pass.compressedOffsets(), keys, compressionDeadline);
        CompressedSet collected = CompressedSet.collect(rows, round, received, current);
        writeRationales(file, collected.rationales());
        ledger.record(round, new CompressionEntry(afterStage, pass.draftOffsets(), pass.compressedOffsets(), true, true,
                collected.drafts(), collected.teacherGuided(), collected.fallbacks(), collected.missing(),
                collected.originalTokensMean(), collected.compressedTokensMean()));
        listener.compressionCollected(round, afterStage, collected);
        return collected.rationales();
    }

    /** The stage's student on G's queries: one generation per query, one draft per (query, teacher) row. */
    private List<StudentDraft> drafts(int round, List<DistillRow> rows, Path base, String servedName, TrainableStudent.Weights weights,
                                      Integer completionTokens, Map<String, String> current, Set<String> alreadySent,
                                      CompressionMethod compression, String compressor) {
        List<DistillRow> pending = rows.stream().filter(row -> !alreadySent.contains(row.draftKey(round))).toList();
        Map<String, String> prompts = new LinkedHashMap<>();
        pending.forEach(row -> prompts.putIfAbsent(row.query().id(), StudentPrompt.prompt(row.query())));
        List<String> queryIds = new ArrayList<>(prompts.keySet());
        List<TrainableStudent.Draft> outputs = student.generate(base, servedName, weights, new ArrayList<>(prompts.values()),
                completionTokens);
        Map<String, TrainableStudent.Draft> byQuery = new LinkedHashMap<>();
        for (int i = 0; i < queryIds.size(); i++) {
            byQuery.put(queryIds.get(i), outputs.get(i));
        }
        return pending.stream().map(row -> {
            TrainableStudent.Draft draft = byQuery.get(row.query().id());
            return new StudentDraft(SchemaVersion.CURRENT, round, row.query().id(), row.query(), row.teacher(),
                    current.getOrDefault(row.draftKey(round), row.sample().rationale()), row.sample().answer(),
                    draft.text(), draft.tokens(), compression, compressor);
        }).toList();
    }

    /**
     * A live round's drafts leave the method to compression-service's configuration (null); an experiment's name
     * their recipe's, so every recipe of a table is compressed as it says whatever the service's default.
     */
    private static CompressionMethod compressionOf(RoundEntry entry, StageRecipe recipe) {
        return entry.live() ? null : recipe.compression();
    }

    /** twt-compressor's compressor teacher, from its experiment; null for every other recipe. */
    private String compressorOf(RoundEntry entry, StageRecipe recipe) {
        return entry.live() || recipe.compression() != CompressionMethod.COMPRESSOR ? null
                : experiments.get(entry.experiment()).orElseThrow().compressor();
    }

    public Path roundDir(int round) {
        return roundDir(store, round);
    }

    /** Where a round's stages, datasets and compressed rationales live in the model store. */
    static Path roundDir(Path store, int round) {
        return store.resolve("rounds").resolve("round-" + round);
    }

    /** The file of the rationales collected by the compression pass after a stage. */
    static Path compressedFile(Path store, int round, int afterStage) {
        return roundDir(store, round).resolve("compressed-after-stage-" + afterStage + ".json");
    }

    private static void writeExamples(Path file, List<StageRecipe.Example> examples) {
        try {
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (StageRecipe.Example example : examples) {
                lines.append(Json.MAPPER.writeValueAsString(example)).append('\n');
            }
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeRationales(Path file, Map<String, String> rationales) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Json.MAPPER.writeValueAsBytes(rationales));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Map<String, String> readRationales(Path file) {
        try {
            return Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
