package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.CompressionMethod;
import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.StudentDraft;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentRunnerTest {

    @TempDir
    Path store;

    private DistillationSet set;
    private Experiments experiments;
    private RoundLedger ledger;
    private PoolSnapshot pool;
    private final RoundRunnerTest.RecordingStudent student = new RoundRunnerTest.RecordingStudent();
    private final RoundRunnerTest.InMemoryExchange exchange = new RoundRunnerTest.InMemoryExchange();
    private final RoundRunnerTest.InMemoryBoard board = new RoundRunnerTest.InMemoryBoard();

    private static final RoundListener QUIET = new RoundListener() {
        @Override
        public void stageTrained(int round, int stage, TrainableStudent.TrainedStage trained, int examples) {
        }

        @Override
        public void compressionCollected(int round, int afterStage, CompressedSet collected) {
        }
    };

    @BeforeEach
    void open() {
        set = DistillationSet.open(store.resolve("g.jsonl"));
        set.append(List.of(Samples.set("g1", "a")));
        experiments = Experiments.open(store.resolve(Experiments.DIR));
        pool = Pools.pool("s1");
        experiments.keep(pool);
        ledger = RoundLedger.open(store.resolve("rounds.json"));
    }

    private ExperimentRunner runner() {
        RoundRunner rounds = new RoundRunner(set, experiments, ledger, student, exchange, board, QUIET, store,
                Duration.ofSeconds(1));
        return new ExperimentRunner(experiments, ledger, rounds);
    }

    private Experiments.Experiment create(String id, List<String> recipes, String compressor) {
        return experiments.create(id, "s1", recipes, new Experiments.Options(null, compressor, 0.95),
                Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void eachRecipeIsItsOwnRoundOverTheSamePoolAndEveryVersionCarriesTheExperiment() {
        create("x1", List.of("twt", "standard-kd"), null);
        assertTrue(runner().run("x1").complete());

        assertEquals(List.of("twt", "twt", "twt", "standard-kd"), board.announced.stream().map(ModelVersion::recipe).toList());
        assertEquals(List.of(1, 1, 1, 2), board.announced.stream().map(ModelVersion::round).toList());
        assertTrue(board.announced.stream().allMatch(v -> "x1".equals(v.experiment()) && "s1".equals(v.snapshot())));
        // twt's stage 1 and standard-kd both trained on DCRS's three rows of the pool, not on G's one query
        assertEquals(3, student.jobs.get(0).examples().size());
        assertEquals(2, student.jobs.get(3).examples().size(), "m1's two teachers agree on the answer");
        assertTrue(student.jobs.stream().flatMap(job -> job.examples().stream()).noneMatch(e -> e.prompt().contains("g1")));
        assertEquals(0, ledger.lastSnapshot(), "experiment rounds do not count as live rounds for the trigger");
    }

    @Test
    void stepByStepTrainsWithTheExperimentsRationaleWeight() {
        experiments.create("x10", "s1", List.of("step-by-step"), new Experiments.Options(null, null, 0.95, 0.25, null),
                Instant.parse("2026-12-01T00:00:00Z"));
        runner().run("x10");
        List<StageRecipe.Example> examples = student.jobs.get(0).examples();
        assertEquals(List.of("label", "rationale"), examples.stream().map(StageRecipe.Example::task).distinct().toList());
        assertTrue(examples.stream().allMatch(e -> e.taskWeight() == (e.task().equals("label") ? 1.0 : 0.25)));
        assertThrows(IllegalArgumentException.class, () -> experiments.create("x11", "s1", List.of("step-by-step"),
                new Experiments.Options(null, null, 0.95, -0.5, null), Instant.now()));
    }

    @Test
    void everyVersionOfAnExperimentCarriesItsEvalLimitForEvalService() {
        experiments.create("x12", "s1", List.of("standard-kd", "twt-no-compression"),
                new Experiments.Options(null, null, 0.95, null, 5), Instant.parse("2026-12-01T00:00:00Z"));
        runner().run("x12");
        assertEquals(List.of(5, 5, 5), board.announced.stream().map(ModelVersion::evalLimit).toList());
        assertThrows(IllegalArgumentException.class, () -> experiments.create("x13", "s1", List.of("twt"),
                new Experiments.Options(null, null, 0.95, null, 0), Instant.now()));
    }

    @Test
    void aPoolWithoutEmbeddingsIsRefusedForADiversitySelectionBeforeAnythingRuns() {
        PoolSnapshot diverse = Pools.diverse("s3", new java.util.ArrayList<>());
        experiments.keep(new PoolSnapshot("s3", diverse.takenAt(), diverse.queries().stream()
                .map(q -> new PoolSnapshot.PooledQuery(q.query(), q.outputs(), q.selected(), q.rejected(), null)).toList()));
        assertThrows(IllegalArgumentException.class, () -> experiments.create("x14", "s3", List.of("select-logprob"),
                new Experiments.Options(null, null, 0.95), Instant.now()));
        experiments.create("x15", "s3", List.of("twt"), new Experiments.Options(null, null, 0.95), Instant.now());
    }

    @Test
    void anInterruptedExperimentResumesItsOpenRoundAndOpensNoSecond() {
        create("x2", List.of("standard-kd", "twt-no-compression"), null);
        ExperimentRunner runner = runner();
        // a crash right after the first recipe's round was opened
        RoundRunner rounds = new RoundRunner(set, experiments, ledger, student, exchange, board, QUIET, store,
                Duration.ofSeconds(1));
        rounds.open(experiments.get("x2").orElseThrow(), "standard-kd");

        runner.run("x2");
        assertEquals(List.of("standard-kd", "twt-no-compression"), ledger.rounds().stream()
                .map(RoundLedger.RoundEntry::recipe).toList());
        assertEquals(List.of(1, 1, 2), board.announced.stream().map(ModelVersion::stage).toList());

        student.jobs.clear();
        runner.run("x2");
        assertTrue(student.jobs.isEmpty(), "a finished experiment trains nothing again");
        assertEquals(2, ledger.rounds().size());
    }

    @Test
    void compressionRecipesNameTheirMethodOnEveryDraft() {
        create("x3", List.of("twt", "twt-fixed-length", "twt-compressor"), "c");
        runner().run("x3");
        List<StudentDraft> drafts = exchange.sent;
        assertEquals(9, drafts.size(), "three rows, three recipes");
        assertEquals(List.of(CompressionMethod.TEACHER_GUIDED, CompressionMethod.FIXED_LENGTH, CompressionMethod.COMPRESSOR),
                drafts.stream().map(StudentDraft::compression).distinct().toList());
        assertTrue(drafts.stream().filter(d -> d.compression() == CompressionMethod.COMPRESSOR)
                .allMatch(d -> "c".equals(d.compressor())));
        assertTrue(drafts.stream().filter(d -> d.compression() != CompressionMethod.COMPRESSOR)
                .allMatch(d -> d.compressor() == null));
    }

    @Test
    void anExperimentIsRefusedBeforeAnythingRunsWhenARecipeCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> create("x4", List.of("twt", "tinyllama"), null));
        assertThrows(IllegalArgumentException.class, () -> create("x5", List.of("twt-compressor"), null));
        assertThrows(IllegalArgumentException.class, () -> create("x6", List.of("twt-single-teacher"), null));
        assertThrows(IllegalArgumentException.class, () -> experiments.create("x7", "nope", List.of("twt"),
                new Experiments.Options(null, null, 0.95), Instant.now()));
        assertTrue(experiments.all().isEmpty());
    }

    @Test
    void experimentsAndTheirPoolsSurviveARestart() {
        create("x8", List.of("twt"), null);
        Experiments reopened = Experiments.open(store.resolve(Experiments.DIR));
        assertEquals(List.of("x8"), reopened.all().stream().map(Experiments.Experiment::id).toList());
        // as JSON: a record's float[] embeddings compare by identity
        assertEquals(Json.MAPPER.valueToTree(pool), Json.MAPPER.valueToTree(reopened.snapshot("s1")));
        assertThrows(IllegalStateException.class, () -> reopened.keep(Pools.pool("s1")), "a pool never changes");
    }

    @Test
    void statusNamesEachRecipesRoundStagesAndLabelAccuracyAsTheCliReadsThem() {
        create("x9", List.of("standard-kd", "select-hard-rejection"), null);
        ExperimentRunner runner = runner();
        runner.run("x9");
        JsonNode status = Json.MAPPER.valueToTree(ExperimentStatus.of(experiments.get("x9").orElseThrow(), pool, runner));
        assertEquals(3, status.path("poolQueries").asInt());
        JsonNode kd = status.path("recipes").get(0);
        assertEquals("standard-kd", kd.path("recipe").asText());
        assertEquals(1, kd.path("round").asInt());
        assertEquals(1, kd.path("stagesTrained").asInt());
        assertEquals(2, kd.path("labelAccuracy").path("math").path("correct").asInt(), status.toString());
        assertEquals(3, kd.path("labelAccuracy").path("math").path("withGold").asInt());
        JsonNode hard = status.path("recipes").get(1);
        assertEquals(6, hard.path("trainRows").asInt());
        assertEquals(3, hard.path("stagesTrained").asInt());
    }
}
