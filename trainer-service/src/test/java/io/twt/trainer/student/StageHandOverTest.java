package io.twt.trainer.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Json;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageSpec;
import io.twt.trainer.domain.DatasetExport;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.RoundLedger.JobEntry;
import io.twt.trainer.domain.RoundLedger.JobState;
import io.twt.trainer.domain.StageRecipe;
import io.twt.trainer.domain.StageTarget;
import io.twt.trainer.domain.TrainableStudent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage handed to an engine: submitted once, found again after a restart, its failure kept with its reason. */
class StageHandOverTest {

    @TempDir
    Path store;

    private RoundLedger ledger;
    private final ScriptedEngine engine = new ScriptedEngine();
    private final StageContract contract = new StageContract(TrainingConfig.builder()
            .lora(new LoraConfig(8, 16, 0.05, List.of("q_proj", "v_proj"))).build(), 20);

    /** Plays back outcomes; a success first writes what a real engine leaves: the adapter, then result.json. */
    static final class ScriptedEngine implements StageEngine {
        final List<String> submitted = new ArrayList<>();
        final List<String> awaited = new ArrayList<>();
        final Deque<Outcome> outcomes = new ArrayDeque<>();
        boolean writesAdapter = true;

        @Override
        public String backend() {
            return "scripted";
        }

        @Override
        public String submit(String name, StageSpec spec, Path stageDir) {
            submitted.add(name);
            return "handle-of-" + name;
        }

        @Override
        public Outcome await(String name, String handle, Path stageDir) {
            awaited.add(name + " " + handle);
            Outcome outcome = outcomes.removeFirst();
            if (outcome.ending() == Ending.SUCCEEDED) {
                StageSpec spec = StageSpec.read(stageDir);
                Path out = Path.of(spec.outputDir());
                try {
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("adapter_config.json"), "{}");
                    if (writesAdapter) {
                        Files.writeString(out.resolve("adapter_model.safetensors"), "weights");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                new StageResult(1234, 0.75, 9.5, 17, 3).write(out);
            }
            return outcome;
        }
    }

    @BeforeEach
    void openRound() throws IOException {
        ledger = RoundLedger.open(store.resolve("rounds.json"));
        ledger.startRound("twt", 2, store.resolve("base").toString());
        Files.createDirectories(store.resolve("base"));
        Files.writeString(store.resolve("base/config.json"), "{\"_name_or_path\": \"owner/base-model\"}");
    }

    private TrainableStudent.StageJob job() {
        List<StageRecipe.Example> examples = List.of(new StageRecipe.Example("Problem: 1+1?\nSolution:\n", "two\n#### 2"),
                new StageRecipe.Example("Problem: 2+2?\nSolution:\n", "four\n#### 4"));
        Path previous = store.resolve("rounds/round-1/stage-1/adapter");
        return new TrainableStudent.StageJob(1, 2, StageTarget.COMPRESSED_RATIONALE, "twt", store.resolve("base"), new TrainableStudent.Weights(previous, false), examples,
                store.resolve("rounds/round-1/stage-2"));
    }

    private StageHandOver handOver(int maxAttempts) {
        return new StageHandOver(ledger, engine, contract, DatasetExport.Format.MESSAGES, maxAttempts);
    }

    private JobEntry recordedJob() {
        return ledger.round(1).orElseThrow().job(2).orElseThrow();
    }

    @Test
    void stageIsSubmittedOnceWithItsContractAndComesBackFromTheEnginesOutput() throws IOException {
        engine.outcomes.add(StageEngine.Outcome.succeeded());
        TrainableStudent.TrainedStage trained = handOver(1).train(job());

        String name = StageHandOver.jobName(job(), 1);
        assertEquals(List.of(name), engine.submitted);
        assertTrue(name.matches("twt-twt-r1-s2-[0-9a-f]{6}"), name);
        assertEquals(new JobEntry(2, 1, "scripted", name, JobState.SUCCEEDED, "handle-of-" + name, null), recordedJob());

        Path stageDir = job().workDir();
        assertEquals(new TrainableStudent.Weights(stageDir.resolve("adapter"), false), trained.weights());
        assertEquals(1234, trained.trainTokens());
        assertEquals(0.75, trained.loss());
        assertEquals(3, trained.resumedFrom());
        assertEquals(17, trained.maxCompletionTokens());
        assertTrue(Files.exists(stageDir.resolve("adapter/serving.json")));
        assertFalse(Files.exists(stageDir.resolve("adapter.partial")), "moved into place");

        StageSpec spec = StageSpec.read(stageDir);
        assertEquals(new StageSpec.BaseModel(store.resolve("base").toString(), "owner/base-model"), spec.baseModel());
        assertEquals(store.resolve("rounds/round-1/stage-1/adapter").toString(), spec.previousAdapter());
        assertNull(spec.previousModel());
        assertEquals(8, spec.lora().rank());
        assertEquals(stageDir.resolve("adapter.partial").toString(), spec.outputDir());
        assertEquals(new StageSpec.Dataset(stageDir.resolve("dataset.jsonl").toString(), "messages", 2), spec.dataset());
        List<String> lines = Files.readAllLines(stageDir.resolve("dataset.jsonl"));
        assertEquals(List.of(DatasetExport.render(job().examples().get(0), DatasetExport.Format.MESSAGES).toString(),
                DatasetExport.render(job().examples().get(1), DatasetExport.Format.MESSAGES).toString()), lines);
        assertEquals("four\n#### 4", Json.MAPPER.readTree(lines.get(1)).at("/messages/1/content").asText());
    }

    @Test
    void restartedTrainerAttachesToTheRecordedJobAndSubmitsNothing() {
        String name = StageHandOver.jobName(job(), 1);
        ledger.record(1, new JobEntry(2, 1, "scripted", name, JobState.SUBMITTED, "pid-7", null));
        engine.outcomes.add(StageEngine.Outcome.succeeded());

        handOver(1).train(job());

        assertEquals(List.of(), engine.submitted);
        assertEquals(List.of(name + " pid-7"), engine.awaited);
        assertEquals(JobState.SUCCEEDED, recordedJob().state());
    }

    @Test
    void failedJobKeepsItsReasonAndIsNotSubmittedAgainWithoutAttemptsLeft() {
        engine.outcomes.add(StageEngine.Outcome.failed("pod p-0 container node: OOMKilled (exit code 137)"));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> handOver(1).train(job()));
        assertTrue(failure.getMessage().contains("OOMKilled (exit code 137)"), failure.getMessage());
        assertEquals(JobState.FAILED, recordedJob().state());

        // the round is tried again at the next check: the same failure, and still one job
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> handOver(1).train(job()));
        assertEquals(failure.getMessage(), again.getMessage());
        assertEquals(1, engine.submitted.size());
    }

    @Test
    void failedJobIsFollowedByAJobOfANewNameWhileAttemptsAreLeft() {
        engine.outcomes.add(StageEngine.Outcome.failed("BackoffLimitExceeded"));
        engine.outcomes.add(StageEngine.Outcome.succeeded());
        handOver(2).train(job());
        assertEquals(List.of(StageHandOver.jobName(job(), 1), StageHandOver.jobName(job(), 2)), engine.submitted);
        assertTrue(engine.submitted.get(1).endsWith("-a2"));
        assertEquals(2, recordedJob().attempt());
        assertEquals(JobState.SUCCEEDED, recordedJob().state());
    }

    @Test
    void recordedJobThatIsNotThereIsSubmittedAgainUnderItsName() {
        String name = StageHandOver.jobName(job(), 1);
        ledger.record(1, new JobEntry(2, 1, "scripted", name, JobState.SUBMITTED, null, null));
        engine.outcomes.add(StageEngine.Outcome.notFound());
        engine.outcomes.add(StageEngine.Outcome.succeeded());
        handOver(1).train(job());
        assertEquals(List.of(name), engine.submitted);
        assertEquals(1, recordedJob().attempt());
    }

    @Test
    void resultWithoutAnAdapterFailsNamingTheMissingFile() {
        engine.writesAdapter = false;
        engine.outcomes.add(StageEngine.Outcome.succeeded());
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> handOver(1).train(job()));
        assertTrue(failure.getMessage().contains("no adapter_model.safetensors"), failure.getMessage());
    }

    @Test
    void stageMovedIntoPlaceBeforeACrashIsNeitherSubmittedNorAwaited() {
        engine.outcomes.add(StageEngine.Outcome.succeeded());
        TrainableStudent.TrainedStage first = handOver(1).train(job());
        TrainableStudent.TrainedStage again = new StageHandOver(ledger, engine, contract, DatasetExport.Format.MESSAGES, 1).train(job());
        assertEquals(first, again);
        assertEquals(1, engine.submitted.size());
        assertEquals(1, engine.awaited.size());
    }
}
