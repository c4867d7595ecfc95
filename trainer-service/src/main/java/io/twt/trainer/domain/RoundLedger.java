package io.twt.trainer.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.twt.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What every round has done, persisted in the model store (written to a temporary file and moved over the old
 * one, so a crash leaves either the old or the new ledger). A restarted trainer reads it to skip finished stages,
 * resume the unfinished one from its checkpoint, and never announce a model version twice.
 */
public final class RoundLedger {

    public enum Announcement { NONE, SENDING, SENT }

    public enum JobState { SUBMITTED, SUCCEEDED, FAILED }

    /**
     * One attempt at a stage handed to an engine outside this JVM (a process, a Kubernetes job). It is recorded
     * SUBMITTED before the engine is asked, so a restarted trainer re-attaches to the job by its name instead of
     * submitting the stage again. {@code handle} is what the engine needs beside the name to find the job again (a
     * process id and start time), null where the name is enough; {@code failure} is the reason the engine gave.
     */
    public record JobEntry(int stage, int attempt, String backend, String name, JobState state, String handle,
                           String failure) {
        public JobEntry started(String engineHandle) {
            return new JobEntry(stage, attempt, backend, name, JobState.SUBMITTED, engineHandle, null);
        }

        public JobEntry succeeded() {
            return new JobEntry(stage, attempt, backend, name, JobState.SUCCEEDED, handle, null);
        }

        public JobEntry failed(String reason) {
            return new JobEntry(stage, attempt, backend, name, JobState.FAILED, handle, reason);
        }
    }

    /**
     * One trained stage; {@code announcement} is SENDING from just before its model version is sent until it is
     * acknowledged. {@code maxCompletionTokens} is null in ledgers written before it was recorded.
     */
    public record StageEntry(int stage, String weightsDir, boolean fullWeights, long trainExamples, long trainTokens,
                             double loss, double seconds, int resumedFrom, Announcement announcement,
                             Integer maxCompletionTokens) {
        public StageEntry announced(Announcement state) {
            return new StageEntry(stage, weightsDir, fullWeights, trainExamples, trainTokens, loss, seconds, resumedFrom, state,
                    maxCompletionTokens);
        }
    }

    /**
     * One compression after a stage. The end offsets of the draft and compressed-rationale topics are taken
     * before the first draft is sent, so this pass's records are told apart from any earlier ones.
     */
    public record CompressionEntry(int afterStage, Map<Integer, Long> draftOffsets, Map<Integer, Long> compressedOffsets,
                                   boolean draftsSent, boolean complete, int drafts, int teacherGuided, int fallbacks,
                                   int missing, double originalTokensMean, double compressedTokensMean) {
        public CompressionEntry sent() {
            return new CompressionEntry(afterStage, draftOffsets, compressedOffsets, true, false, drafts, 0, 0, 0, 0, 0);
        }
    }

    /**
     * One round. A live round trains on G's first {@code snapshotQueries} queries; an experiment's round on the rows
     * its recipe selects from the experiment's pool {@code snapshot} ({@code snapshotQueries} is then the pool's size).
     *
     * @param jobs       the stages handed to an engine outside this JVM, every attempt (absent in older ledgers)
     * @param experiment null for a live round (and in ledgers written before experiments existed)
     */
    public record RoundEntry(int round, String recipe, int snapshotQueries, String baseModel, List<StageEntry> stages,
                             List<CompressionEntry> compressions, boolean complete, List<JobEntry> jobs,
                             String experiment, String snapshot) {

        public RoundEntry {
            jobs = jobs == null ? List.of() : List.copyOf(jobs);
        }

        public boolean live() {
            return experiment == null;
        }

        /** The stage's latest job attempt. */
        public Optional<JobEntry> job(int stage) {
            return jobs.stream().filter(j -> j.stage() == stage).max((a, b) -> Integer.compare(a.attempt(), b.attempt()));
        }

        public Optional<StageEntry> stage(int number) {
            return stages.stream().filter(s -> s.stage() == number).findFirst();
        }

        public Optional<CompressionEntry> compressionAfter(int stage) {
            return compressions.stream().filter(c -> c.afterStage() == stage).findFirst();
        }

        RoundEntry with(StageEntry entry) {
            List<StageEntry> next = new ArrayList<>(stages.stream().filter(s -> s.stage() != entry.stage()).toList());
            next.add(entry);
            next.sort((a, b) -> Integer.compare(a.stage(), b.stage()));
            return new RoundEntry(round, recipe, snapshotQueries, baseModel, next, compressions, complete, jobs, experiment,
                    snapshot);
        }

        RoundEntry with(CompressionEntry entry) {
            List<CompressionEntry> next = new ArrayList<>(compressions.stream()
                    .filter(c -> c.afterStage() != entry.afterStage()).toList());
            next.add(entry);
            return new RoundEntry(round, recipe, snapshotQueries, baseModel, stages, next, complete, jobs, experiment, snapshot);
        }

        RoundEntry with(JobEntry entry) {
            List<JobEntry> next = new ArrayList<>(jobs.stream()
                    .filter(j -> j.stage() != entry.stage() || j.attempt() != entry.attempt()).toList());
            next.add(entry);
            return new RoundEntry(round, recipe, snapshotQueries, baseModel, stages, compressions, complete, next, experiment,
                    snapshot);
        }

        RoundEntry completed() {
            return new RoundEntry(round, recipe, snapshotQueries, baseModel, stages, compressions, true, jobs, experiment,
                    snapshot);
        }
    }

    private final Path file;
    private final TreeMap<Integer, RoundEntry> rounds = new TreeMap<>();

    private RoundLedger(Path file) {
        this.file = file;
    }

    public static RoundLedger open(Path file) {
        RoundLedger ledger = new RoundLedger(file);
        try {
            if (Files.exists(file)) {
                List<RoundEntry> entries = Json.MAPPER.readValue(file.toFile(), new TypeReference<List<RoundEntry>>() { });
                entries.forEach(entry -> ledger.rounds.put(entry.round(), entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the round ledger " + file, e);
        }
        return ledger;
    }

    public synchronized List<RoundEntry> rounds() {
        return List.copyOf(rounds.values());
    }

    public synchronized Optional<RoundEntry> round(int round) {
        return Optional.ofNullable(rounds.get(round));
    }

    public synchronized Optional<RoundEntry> unfinished() {
        return rounds.values().stream().filter(r -> !r.complete()).findFirst();
    }

    /** G's size at the last live round's snapshot; 0 before the first (experiments' rounds do not count). */
    public synchronized int lastSnapshot() {
        return rounds.descendingMap().values().stream().filter(RoundEntry::live).findFirst()
                .map(RoundEntry::snapshotQueries).orElse(0);
    }

    public synchronized RoundEntry startRound(String recipe, int snapshotQueries, String baseModel) {
        return startRound(recipe, snapshotQueries, baseModel, null, null);
    }

    /** A round of an experiment: {@code recipe} over the pool {@code snapshot} of {@code queries} queries. */
    public synchronized RoundEntry startRound(String recipe, int snapshotQueries, String baseModel, String experiment,
                                              String snapshot) {
        int number = rounds.isEmpty() ? 1 : rounds.lastKey() + 1;
        RoundEntry entry = new RoundEntry(number, recipe, snapshotQueries, baseModel, List.of(), List.of(), false, List.of(),
                experiment, snapshot);
        return save(entry);
    }

    public synchronized RoundEntry record(int round, StageEntry stage) {
        return save(rounds.get(round).with(stage));
    }

    public synchronized RoundEntry record(int round, CompressionEntry compression) {
        return save(rounds.get(round).with(compression));
    }

    public synchronized RoundEntry record(int round, JobEntry job) {
        return save(rounds.get(round).with(job));
    }

    public synchronized RoundEntry complete(int round) {
        return save(rounds.get(round).completed());
    }

    private RoundEntry save(RoundEntry entry) {
        rounds.put(entry.round(), entry);
        try {
            DurableFile.replace(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(rounds.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the round ledger " + file, e);
        }
        return entry;
    }
}
