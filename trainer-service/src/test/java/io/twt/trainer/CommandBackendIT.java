package io.twt.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.twt.common.DistillSampleSet;
import io.twt.common.GenerationCap;
import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.StudentPrompt;
import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.ServiceProcess;
import io.twt.testsupport.TestTopics;
import io.twt.lab.teacher.FaultSettings;
import io.twt.lab.teacher.LabTeacherServer;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.TrainableStudent;
import io.twt.trainer.student.LmTrainableStudent;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stage contract end to end: one round over the same snapshot and seed, first with the lm backend (in the trainer's
 * JVM), then with the command backend running its default command, {@code ./twt lm train --job STAGE_DIR}, as a process
 * of its own per stage. The command-backend trainer is SIGKILLed once stage 2's job is in its ledger and started again.
 * Both rounds must announce the same three model versions and give the same reports: the trainer's stage and compression
 * figures, the training sets, the adapters, and the students' greedy answers on held-out queries.
 */
class CommandBackendIT {

    private static final RecordCodec<DistillSampleSet> PAIRS = RecordCodec.of(DistillSampleSet.class);
    private static final RecordCodec<ModelVersion> VERSIONS = RecordCodec.of(ModelVersion.class);
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path CHECKOUT = MODULE.getParent();
    private static final Path GATEWAY_JAR = MODULE.resolveSibling("teacher-gateway").resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path COMPRESSION_JAR = MODULE.resolveSibling("compression-service").resolve("target/quarkus-app/quarkus-run.jar");
    private static final Path TRAINER_JAR = MODULE.resolve("target/quarkus-app/quarkus-run.jar");
    private static final int ROUND_QUERIES = 16;

    @Test
    @Timeout(1200)
    void commandBackendRoundAnnouncesTheSameVersionsAndReportsAsTheLmBackend() throws Exception {
        Path logs = Files.createDirectories(MODULE.resolve("target/it-logs"));
        Path run = Files.createDirectories(MODULE.resolve("target/it-backends-" + System.nanoTime()));
        Path lmStore = Files.createDirectories(run.resolve("lm-store"));
        Path commandStore = Files.createDirectories(run.resolve("command-store"));
        List<DistillSampleSet> pairs = LabPairs.pairs(ROUND_QUERIES, 23L);
        try (LocalKafka kafka = LocalKafka.startTemporary();
             LabTeacherServer lab = LabTeacherServer.start("127.0.0.1", 0, FaultSettings.none());
             ServiceProcess gateway = ServiceProcess.start("teacher-gateway", GATEWAY_JAR, Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "TWT_GATEWAY_LAB_URL", lab.baseUrl()), logs);
             ServiceProcess compression = ServiceProcess.start("compression-service", COMPRESSION_JAR, Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "TWT_GATEWAY_URL", gateway.url()), logs)) {
            gateway.awaitHealthy(Duration.ofSeconds(180));
            compression.awaitHealthy(Duration.ofSeconds(180));
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            for (DistillSampleSet pair : pairs) {
                topics.send(Topic.DIVERSE_PAIRS.topicName(), pair.queryId(), PAIRS.encode(pair));
            }
            Map<String, String> common = Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                    // one lab base for both, so both rounds start from the same weights
                    Map.entry("TWT_TRAINER_LAB_BASE_CACHE", run.resolve("cache").toString()),
                    Map.entry("TWT_TRAINER_LAB_BASE_SPEC", "smoke"),
                    // LoRA stages: the contract's PEFT adapter
                    Map.entry("TWT_TRAINER_TRAINING_FULL_FINE_TUNING", "false"),
                    Map.entry("TWT_TRAINER_TRAINING_EPOCHS", "2"),
                    Map.entry("TWT_TRAINER_TRAINING_MAX_LENGTH", "384"),
                    Map.entry("TWT_TRAINER_TRAINING_SEED", "5"),
                    // byte equality needs oneMKL's default path in both JVMs: with the dispatch fix (lm kernels auto
                    // on AMD) the in-process and the child's stage 1 weights differed in a last bit (issue 20)
                    Map.entry("TWT_LM_KERNELS", "mkl-default"),
                    Map.entry("TWT_TRAINER_ROUND_MIN_NEW_QUERIES", String.valueOf(ROUND_QUERIES)),
                    Map.entry("TWT_TRAINER_ROUND_CHECK_INTERVAL", "1s"),
                    Map.entry("TWT_TRAINER_DRAFTS_MAX_NEW_TOKENS", "32"),
                    Map.entry("TWT_TRAINER_COMPRESSION_DEADLINE", "180s"));

            // 1) the lm backend, in the trainer's JVM
            Map<String, String> lmEnv = new HashMap<>(common);
            lmEnv.put("TWT_TRAINER_MODEL_STORE", lmStore.toString());
            try (ServiceProcess trainer = ServiceProcess.start("trainer-service-lm", TRAINER_JAR, lmEnv, logs)
                    .awaitHealthy(Duration.ofSeconds(180))) {
                awaitVersion(topics, lmStore, 3);
            }

            // 2) the command backend over the same snapshot: G as the first trainer stored it
            Files.copy(lmStore.resolve("distillation-set.jsonl"), commandStore.resolve("distillation-set.jsonl"));
            Map<String, String> commandEnv = new HashMap<>(common);
            commandEnv.put("TWT_TRAINER_MODEL_STORE", commandStore.toString());
            commandEnv.put("TWT_TRAINER_BACKEND", "command");
            commandEnv.put("TWT_TRAINER_COMMAND_DIRECTORY", CHECKOUT.toString());
            ServiceProcess first = ServiceProcess.start("trainer-service-command", TRAINER_JAR, commandEnv, logs)
                    .awaitHealthy(Duration.ofSeconds(180));
            RoundLedger.JobEntry stageTwoJob;
            try {
                stageTwoJob = awaitJob(commandStore, 2, first);
            } finally {
                first.kill();
            }
            boolean runningAtRestart = ProcessHandle.of(Long.parseLong(stageTwoJob.handle().split("@")[0]))
                    .map(ProcessHandle::isAlive).orElse(false);
            try (ServiceProcess second = ServiceProcess.start("trainer-service-command", TRAINER_JAR, commandEnv, logs)
                    .awaitHealthy(Duration.ofSeconds(180))) {
                awaitVersion(topics, commandStore, 3);
            }

            // 3) the same three model versions, announced once each per backend
            List<ModelVersion> versions = topics.committed(Topic.MODEL_VERSIONS.topicName()).stream()
                    .map(r -> VERSIONS.decode(r.value())).toList();
            for (int stage = 1; stage <= 3; stage++) {
                ModelVersion viaLm = only(versions, lmStore, stage);
                ModelVersion viaCommand = only(versions, commandStore, stage);
                System.out.printf("stage %d: lm %d tokens loss %.9f in %.1fs; command %d tokens loss %.9f in %.1fs%n", stage,
                        viaLm.trainTokens(), viaLm.loss(), viaLm.seconds(), viaCommand.trainTokens(), viaCommand.loss(),
                        viaCommand.seconds());
                assertEquals(comparable(viaLm, lmStore), comparable(viaCommand, commandStore), "stage " + stage);
                assertEquals(viaLm.loss(), viaCommand.loss(), 1e-6 * Math.abs(viaLm.loss()), "stage " + stage + " loss");
            }

            // 4) the same reports: stage and compression figures in the ledgers, training sets, adapters
            RoundLedger.RoundEntry lmRound = ledger(lmStore);
            RoundLedger.RoundEntry commandRound = ledger(commandStore);
            assertEquals(compressionFigures(lmRound), compressionFigures(commandRound));
            assertEquals(List.of(), lmRound.jobs(), "the lm backend hands nothing over");
            for (int stage = 1; stage <= 3; stage++) {
                RoundLedger.StageEntry a = lmRound.stage(stage).orElseThrow();
                RoundLedger.StageEntry b = commandRound.stage(stage).orElseThrow();
                assertEquals(List.of(a.trainExamples(), a.trainTokens(), a.maxCompletionTokens(), a.fullWeights()),
                        List.of(b.trainExamples(), b.trainTokens(), b.maxCompletionTokens(), b.fullWeights()));
                RoundLedger.JobEntry job = commandRound.job(stage).orElseThrow();
                assertEquals(List.of("command", 1, RoundLedger.JobState.SUCCEEDED), List.of(job.backend(), job.attempt(), job.state()));
                Path lmStage = lmStore.resolve("rounds/round-1/stage-" + stage);
                Path commandStage = commandStore.resolve("rounds/round-1/stage-" + stage);
                assertEquals(Files.readString(lmStage.resolve("train.jsonl")), Files.readString(commandStage.resolve("train.jsonl")));
                assertArrayEquals(Files.readAllBytes(lmStage.resolve("adapter/adapter_model.safetensors")),
                        Files.readAllBytes(commandStage.resolve("adapter/adapter_model.safetensors")), "stage " + stage + " adapter");
                assertTrue(Files.exists(commandStage.resolve("adapter/result.json")), "the job's result, moved with its adapter");
                List<String> results = Files.readAllLines(commandStage.resolve("job.log")).stream()
                        .filter(line -> line.startsWith("{\"trainTokens\"")).toList();
                assertEquals(1, results.size(), "one ./twt lm train run for stage " + stage + ": " + results);
            }
            assertEquals(stageTwoJob.name(), commandRound.job(2).orElseThrow().name(), "re-attached, not submitted again");
            System.out.println("stage 2's command was " + (runningAtRestart ? "still running" : "already finished")
                    + " when the killed trainer restarted");

            // 5) what eval would score: each stage's greedy answers on held-out queries, from either store's adapter
            List<String> prompts = LabPairs.pairs(8, 99L).stream().map(p -> StudentPrompt.prompt(p.query())).toList();
            LmTrainableStudent student = new LmTrainableStudent(Path.of(lmRound.baseModel()), () -> { throw new IllegalStateException(); },
                    job -> { throw new IllegalStateException(); }, new GenerationCap(48, 2.0, 16), 8, null);
            for (int stage = 1; stage <= 3; stage++) {
                List<TrainableStudent.Draft> viaLm = student.generate(Path.of(lmRound.baseModel()), "lm", new TrainableStudent.Weights(
                        lmStore.resolve("rounds/round-1/stage-" + stage + "/adapter"), false), prompts, null);
                List<TrainableStudent.Draft> viaCommand = student.generate(Path.of(commandRound.baseModel()), "command", new TrainableStudent.Weights(
                        commandStore.resolve("rounds/round-1/stage-" + stage + "/adapter"), false), prompts, null);
                assertEquals(viaLm, viaCommand, "stage " + stage + " answers");
                System.out.printf("stage %d: mean output tokens on %d held-out queries %.2f (both backends)%n", stage,
                        prompts.size(), viaLm.stream().mapToInt(TrainableStudent.Draft::tokens).average().orElseThrow());
            }
        }
    }

    /** A round's compression passes without the topic offsets, which the second round finds further on. */
    private static List<List<Object>> compressionFigures(RoundLedger.RoundEntry round) {
        return round.compressions().stream().map(c -> List.<Object>of(c.afterStage(), c.drafts(), c.teacherGuided(),
                c.fallbacks(), c.missing(), c.originalTokensMean(), c.compressedTokensMean())).toList();
    }

    /** A model version with what differs by design taken out: the store it lies in and the seconds it took. */
    private static List<Object> comparable(ModelVersion version, Path store) {
        return List.of(version.round(), version.stage(), version.recipe(), version.baseModel(),
                store.toUri().relativize(URI.create(version.adapterUri())).toString(), version.trainExamples(),
                version.trainTokens(), Optional.ofNullable(version.maxCompletionTokens()));
    }

    private static ModelVersion only(List<ModelVersion> versions, Path store, int stage) {
        List<ModelVersion> found = versions.stream()
                .filter(v -> v.stage() == stage && v.adapterUri().startsWith(store.toUri().toString())).toList();
        assertEquals(1, found.size(), "stage " + stage + " announced once from " + store + ": " + found);
        return found.get(0);
    }

    private static void awaitVersion(TestTopics topics, Path store, int stage) {
        topics.awaitRecords(Topic.MODEL_VERSIONS.topicName(), 1, r -> r.key().equals("1:" + stage)
                && VERSIONS.decode(r.value()).adapterUri().startsWith(store.toUri().toString()), Duration.ofSeconds(600));
    }

    private static RoundLedger.JobEntry awaitJob(Path store, int stage, ServiceProcess trainer) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        while (true) {
            assertTrue(System.nanoTime() < deadline, "no stage-" + stage + " job within 600s; see " + trainer.log());
            if (Files.exists(store.resolve("rounds.json"))) {
                Optional<RoundLedger.JobEntry> job = ledger(store).job(stage).filter(j -> j.handle() != null);
                if (job.isPresent()) {
                    return job.get();
                }
            }
            ServiceProcess.sleep(20);
        }
    }

    private static RoundLedger.RoundEntry ledger(Path store) throws IOException {
        return Json.MAPPER.readValue(store.resolve("rounds.json").toFile(), new TypeReference<List<RoundLedger.RoundEntry>>() { })
                .get(0);
    }
}
