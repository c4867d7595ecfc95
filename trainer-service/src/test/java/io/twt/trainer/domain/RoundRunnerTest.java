package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.ModelVersion;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentDraft;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundRunnerTest {

    @TempDir
    Path store;

    private DistillationSet set;
    private RoundLedger ledger;
    private final RecordingStudent student = new RecordingStudent();
    private final InMemoryExchange exchange = new InMemoryExchange();
    private final InMemoryBoard board = new InMemoryBoard();

    /** Trains nothing: records each job and hands back a weights directory named after the stage. */
    static final class RecordingStudent implements TrainableStudent {
        final List<StageJob> jobs = new ArrayList<>();
        final List<Integer> draftCompletionTokens = new ArrayList<>();
        int generated;

        @Override
        public Path baseModel(List<DistillRow> rows) {
            return Path.of("/models/base");
        }

        @Override
        public TrainedStage train(StageJob job) {
            jobs.add(job);
            return new TrainedStage(new Weights(job.workDir().resolve("adapter"), false), 100L * job.examples().size(), 1.5, 2.0, 0,
                    10 * job.stage());
        }

        @Override
        public List<Draft> generate(Path baseModel, String servedName, Weights weights, List<String> prompts,
                                   Integer maxCompletionTokens) {
            generated += prompts.size();
            draftCompletionTokens.add(maxCompletionTokens);
            return prompts.stream().map(p -> new Draft("my answer", 2)).toList();
        }
    }

    /** Drafts land in a list; compression answers each one with the first word of its rationale, unless told to drop it. */
    static final class InMemoryExchange implements DraftExchange {
        final List<StudentDraft> sent = new ArrayList<>();
        final Set<String> sentBeforeCrash = new HashSet<>();
        final Set<String> dropped = new HashSet<>();

        @Override
        public Map<Integer, Long> draftEndOffsets() {
            return Map.of(0, (long) sent.size());
        }

        @Override
        public Map<Integer, Long> compressedEndOffsets() {
            return Map.of(0, 0L);
        }

        @Override
        public Set<String> draftKeysSince(Map<Integer, Long> from) {
            return sentBeforeCrash;
        }

        @Override
        public void send(List<StudentDraft> drafts) {
            sent.addAll(drafts);
        }

        @Override
        public Map<String, CompressedRationale> await(Map<Integer, Long> from, Set<String> keys, Duration deadline) {
            Map<String, CompressedRationale> out = new HashMap<>();
            for (String key : keys) {
                String[] parts = key.split(":");
                if (!dropped.contains(key)) {
                    out.put(key, new CompressedRationale(SchemaVersion.CURRENT, Integer.parseInt(parts[0]), parts[1], parts[2],
                            "Short.", CompressionMethod.TEACHER_GUIDED, 10, 1));
                }
            }
            return out;
        }
    }

    static final class InMemoryBoard implements VersionBoard {
        final List<ModelVersion> announced = new ArrayList<>();

        @Override
        public boolean contains(ModelVersion version) {
            return announced.stream().anyMatch(v -> v.key().equals(version.key()) && v.adapterUri().equals(version.adapterUri()));
        }

        @Override
        public void announce(ModelVersion version) {
            announced.add(version);
        }
    }

    private static final RoundListener QUIET = new RoundListener() {
        @Override
        public void stageTrained(int round, int stage, TrainableStudent.TrainedStage trained, int examples) {
        }

        @Override
        public void compressionCollected(int round, int afterStage, CompressedSet collected) {
        }
    };

    @BeforeEach
    void fill() {
        set = DistillationSet.open(store.resolve("g.jsonl"));
        set.append(List.of(Samples.set("q1", "a", "b"), Samples.set("q22", "c")));
        ledger = RoundLedger.open(store.resolve("rounds.json"));
    }

    private RoundRunner runner() {
        return new RoundRunner(set, Experiments.open(store.resolve("experiments")), ledger, student, exchange, board, QUIET, store,
                Duration.ofSeconds(1));
    }

    @Test
    void roundTrainsThreeStagesEachFromThePreviousAndAnnouncesEachOnce() {
        RoundRunner runner = runner();
        int round = runner.open(StageRecipe.hard()).round();
        RoundLedger.RoundEntry done = runner.run(round);

        assertTrue(done.complete());
        assertEquals(List.of(1, 2, 3), board.announced.stream().map(ModelVersion::stage).toList());
        assertEquals("twt", board.announced.get(0).recipe());
        assertNull(student.jobs.get(0).previous());
        assertEquals(student.jobs.get(0).workDir().resolve("adapter"), student.jobs.get(1).previous().dir());
        assertEquals(student.jobs.get(1).workDir().resolve("adapter"), student.jobs.get(2).previous().dir());
        assertEquals(3, exchange.sent.size(), "one draft per (query, teacher)");
        assertEquals(2, student.generated, "one generation per query");
        assertTrue(student.jobs.get(1).examples().stream().allMatch(e -> e.completion().startsWith("Short.\n#### ")));
        assertTrue(student.jobs.get(2).examples().stream().allMatch(e -> e.completion().startsWith("#### ")));
    }

    @Test
    void eachVersionCarriesItsStagesLongestCompletionAndTheDraftsFollowStageOne() {
        RoundRunner runner = runner();
        runner.run(runner.open(StageRecipe.hard()).round());
        assertEquals(List.of(10, 20, 30), board.announced.stream().map(ModelVersion::maxCompletionTokens).toList());
        assertEquals(List.of(10), student.draftCompletionTokens);
    }

    @Test
    void restartedRoundSkipsTrainedStagesAndDoesNotAnnounceTwice() {
        RoundRunner runner = runner();
        int round = runner.open(StageRecipe.hard()).round();
        runner.run(round);

        // a crash after stage 2's version was sent but before the ledger said so
        RoundLedger.RoundEntry entry = ledger.round(round).orElseThrow();
        ledger.record(round, entry.stage(2).orElseThrow().announced(RoundLedger.Announcement.SENDING));
        ledger.record(round, entry.stage(3).orElseThrow().announced(RoundLedger.Announcement.NONE));
        RoundLedger reopened = RoundLedger.open(store.resolve("rounds.json"));
        student.jobs.clear();
        new RoundRunner(set, Experiments.open(store.resolve("experiments")), reopened, student, exchange, board, QUIET,
                store, Duration.ofSeconds(1)).run(round);

        assertEquals(List.of(1, 2, 3, 3), board.announced.stream().map(ModelVersion::stage).toList(),
                "stage 2 was on the topic already; stage 3 had never been sent");
        assertTrue(student.jobs.isEmpty(), "no stage is trained again");
        assertEquals(3, exchange.sent.size(), "the finished compression pass is not redone");
    }

    @Test
    void interruptedDraftPassSendsOnlyTheDraftsThatNeverGotThrough() {
        RoundRunner runner = runner();
        int round = runner.open(StageRecipe.hard()).round();
        exchange.sentBeforeCrash.add(round + ":q1:a");
        runner.run(round);
        assertEquals(List.of("1:q1:b", "1:q22:c"), exchange.sent.stream().map(StudentDraft::key).toList());
    }

    @Test
    void missingCompressedRationaleFallsBackToTheOriginalAndIsRecorded() {
        RoundRunner runner = runner();
        int round = runner.open(StageRecipe.hard()).round();
        exchange.dropped.add(round + ":q22:c");
        runner.run(round);
        RoundLedger.CompressionEntry pass = ledger.round(round).orElseThrow().compressionAfter(1).orElseThrow();
        assertEquals(1, pass.missing());
        assertEquals(2, pass.teacherGuided());
        String original = set.rows(2).get(2).sample().rationale();
        assertTrue(student.jobs.get(1).examples().stream().anyMatch(e -> e.completion().startsWith(original)));
    }

    @Test
    void fourStageVariantCompressesTheCompressedRationalesAgain() {
        RoundRunner runner = runner();
        int round = runner.open(StageRecipe.hardFourStages()).round();
        runner.run(round);
        assertEquals(List.of(1, 2, 3, 4), board.announced.stream().map(ModelVersion::stage).toList());
        assertEquals(6, exchange.sent.size(), "two passes of three drafts");
        assertTrue(exchange.sent.subList(3, 6).stream().allMatch(d -> d.teacherRationale().equals("Short.")),
                "the second pass starts from the first pass's rationales");
        assertTrue(ledger.round(round).orElseThrow().compressionAfter(2).orElseThrow().complete());
    }
}
