package io.twt.trainer.outgoing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageSpec;
import io.twt.trainer.domain.DatasetExport;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.StageRecipe;
import io.twt.trainer.domain.StageTarget;
import io.twt.trainer.domain.TrainableStudent;
import io.twt.trainer.student.StageContract;
import io.twt.trainer.student.StageHandOver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes backend against fabric8's API server in CRUD mode, with the templates shipped in k8s/overlays/trl:
 * each test plays the cluster's part (the job's pod writes the adapter and result.json, the job controller sets the
 * Complete or Failed condition) while a trainer thread submits and watches.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(60)
class KubernetesEngineTest {

    static final Path TEMPLATES = Path.of(System.getProperty("user.dir")).resolveSibling("k8s/overlays/trl");
    private static final String NAMESPACE = "twt";

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path store;

    private final ExecutorService trainerThreads = Executors.newCachedThreadPool();
    private final StageContract contract = new StageContract(TrainingConfig.paperPreset(), 20);
    private RoundLedger ledger;

    @BeforeEach
    void openRound() throws IOException {
        ledger = RoundLedger.open(store.resolve("rounds.json"));
        ledger.startRound("twt", 2, store.resolve("base").toString());
        Files.createDirectories(store.resolve("base"));
        Files.writeString(store.resolve("base/config.json"), "{\"_name_or_path\": \"mistralai/Mistral-7B-v0.3\"}");
    }

    @AfterEach
    void stopTrainers() {
        trainerThreads.shutdownNow();
    }

    private TrainableStudent.StageJob job() {
        return new TrainableStudent.StageJob(1, 1, StageTarget.FULL_RATIONALE, "twt", store.resolve("base"), null,
                List.of(new StageRecipe.Example("Problem: 1+1?\nSolution:\n", "two\n#### 2")), store.resolve("rounds/round-1/stage-1"));
    }

    private StageHandOver trainer(KubernetesClient kubernetes, String template) {
        KubernetesEngine engine = new KubernetesEngine(kubernetes, NAMESPACE, JobTemplate.read(TEMPLATES.resolve(template)),
                Duration.ofHours(1), Clock.systemUTC());
        return new StageHandOver(RoundLedger.open(store.resolve("rounds.json")), engine, contract,
                DatasetExport.Format.PROMPT_COMPLETION, 1);
    }

    private Future<TrainableStudent.TrainedStage> train(StageHandOver trainer) {
        return trainerThreads.submit(() -> trainer.train(job()));
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T value;
        while ((value = probe.get()) == null) {
            assertTrue(System.nanoTime() < deadline, "nothing within 30s");
            Thread.sleep(20);
        }
        return value;
    }

    private Job submittedJob() throws InterruptedException {
        return await(() -> client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream().findFirst().orElse(null));
    }

    /** What the job's pod leaves in the model store. */
    private void podWritesTheAdapter() throws IOException {
        Path out = Path.of(StageSpec.read(job().workDir()).outputDir());
        Files.createDirectories(out);
        Files.writeString(out.resolve("adapter_config.json"), "{\"r\": 8}");
        Files.writeString(out.resolve("adapter_model.safetensors"), "weights");
        new StageResult(5000, 0.42, 61.0, 33, 0).write(out);
    }

    private void jobEnds(String name, String type, String reason, String message) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).editStatus(job -> new JobBuilder(job).editOrNewStatus()
                .addNewCondition().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastTransitionTime(Instant.now().toString()).endCondition().endStatus().build());
    }

    private List<RecordedRequest> jobCreations() throws InterruptedException {
        List<RecordedRequest> posts = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (request.getMethod().equals("POST") && request.getPath().contains("/jobs")) {
                posts.add(request);
            }
        }
        return posts;
    }

    @Test
    void stageJobIsSubmittedFromTheTemplateAndWatchedToSuccess() throws Exception {
        Future<TrainableStudent.TrainedStage> trained = train(trainer(client, "stage-job.yaml"));
        Job job = submittedJob();
        String name = job.getMetadata().getName();
        assertTrue(name.matches("twt-twt-r1-s1-[0-9a-f]{6}"), name);
        assertEquals(List.of(job().workDir().toString()), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals(KubernetesEngine.TRAINER, job.getMetadata().getLabels().get(KubernetesEngine.MANAGED_BY));
        assertEquals("1", job.getSpec().getTemplate().getMetadata().getLabels().get("twt.io/stage"));
        assertEquals(name, ledger(), "the job's name is in the ledger while it runs");

        podWritesTheAdapter();
        jobEnds(name, "Complete", "CompletionsReached", "Reached expected number of succeeded pods");

        TrainableStudent.TrainedStage stage = trained.get(30, TimeUnit.SECONDS);
        assertEquals(job().workDir().resolve("adapter"), stage.weights().dir());
        assertEquals(5000, stage.trainTokens());
        assertEquals(0.42, stage.loss());
        assertEquals(33, stage.maxCompletionTokens());
        assertEquals(1, jobCreations().size());
    }

    private String ledger() {
        return RoundLedger.open(store.resolve("rounds.json")).round(1).orElseThrow().job(1).orElseThrow().name();
    }

    @Test
    void failedJobComesBackWithItsConditionAndItsPodsTermination() throws Exception {
        Future<TrainableStudent.TrainedStage> trained = train(trainer(client, "stage-job.yaml"));
        String name = submittedJob().getMetadata().getName();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name + "-x7k2p")
                .addToLabels("batch.kubernetes.io/job-name", name).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("train").withNewState().withNewTerminated().withExitCode(1)
                .withReason("Error").withMessage("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB")
                .endTerminated().endState().endContainerStatus().endStatus().build()).create();
        jobEnds(name, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> trained.get(30, TimeUnit.SECONDS));
        String message = failure.getCause().getMessage();
        assertTrue(message.contains("BackoffLimitExceeded: Job has reached the specified backoff limit"), message);
        assertTrue(message.contains("container train: Error (exit code 1): torch.OutOfMemoryError: CUDA out of memory"), message);
        assertEquals(RoundLedger.JobState.FAILED, RoundLedger.open(store.resolve("rounds.json")).round(1).orElseThrow().job(1)
                .orElseThrow().state());
    }

    @Test
    void restartedTrainerAttachesToTheRunningJobAndSubmitsNoSecond() throws Exception {
        Future<TrainableStudent.TrainedStage> first = train(trainer(client, "stage-job.yaml"));
        String name = submittedJob().getMetadata().getName();
        first.cancel(true); // the trainer dies while its job runs

        try (KubernetesClient restartedClient = server.createClient()) {
            Future<TrainableStudent.TrainedStage> second = train(trainer(restartedClient, "stage-job.yaml"));
            Thread.sleep(500);
            assertTrue(!second.isDone(), "the restarted trainer waits for the running job");
            podWritesTheAdapter();
            jobEnds(name, "Complete", "CompletionsReached", "Reached expected number of succeeded pods");
            assertEquals(5000, second.get(30, TimeUnit.SECONDS).trainTokens());
        }
        assertEquals(1, jobCreations().size(), "one job for the stage across the restart");
        assertEquals(1, client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().size());
    }

    @Test
    void trainJobTemplateIsSubmittedAsAKubeflowTrainJobAndWatchedToSuccess() throws Exception {
        JobTemplate template = JobTemplate.read(TEMPLATES.resolve("stage-trainjob.yaml"));
        assertEquals(JobTemplate.Kind.TRAIN_JOB, template.kind());
        Future<TrainableStudent.TrainedStage> trained = train(trainer(client, "stage-trainjob.yaml"));
        var trainJobs = client.genericKubernetesResources(JobTemplate.Kind.TRAIN_JOB.context).inNamespace(NAMESPACE);
        GenericKubernetesResource created = await(() -> trainJobs.list().getItems().stream().findFirst().orElse(null));
        assertEquals("torch-distributed", created.get("spec", "runtimeRef", "name"));
        assertEquals(List.of(job().workDir().toString()), created.get("spec", "trainer", "args"));
        assertEquals(KubernetesEngine.TRAINER, created.getMetadata().getLabels().get(KubernetesEngine.MANAGED_BY));

        podWritesTheAdapter();
        trainJobs.withName(created.getMetadata().getName()).editStatus(job -> {
            job.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True",
                    "reason", "JobsCompleted", "message", "jobs have completed", "lastTransitionTime", Instant.now().toString()))));
            return job;
        });
        assertEquals(job().workDir().resolve("adapter"), trained.get(30, TimeUnit.SECONDS).weights().dir());
    }

    @Test
    void finishedJobsOfThisTrainerAreDeletedOnceTheTtlHasPassed() {
        Instant now = Instant.parse("2026-12-08T12:00:00Z");
        createJob("ended-two-hours-ago", true, now.minus(Duration.ofHours(2)));
        createJob("ended-ten-minutes-ago", true, now.minus(Duration.ofMinutes(10)));
        createJob("someone-elses", false, now.minus(Duration.ofHours(2)));
        KubernetesEngine engine = new KubernetesEngine(client, NAMESPACE, JobTemplate.read(TEMPLATES.resolve("stage-job.yaml")),
                Duration.ofHours(1), Clock.fixed(now, java.time.ZoneOffset.UTC));
        engine.deleteExpired();
        var jobs = client.batch().v1().jobs().inNamespace(NAMESPACE);
        assertNull(jobs.withName("ended-two-hours-ago").get());
        assertNotNull(jobs.withName("ended-ten-minutes-ago").get());
        assertNotNull(jobs.withName("someone-elses").get());
    }

    private void createJob(String name, boolean managed, Instant ended) {
        JobBuilder job = new JobBuilder().withNewMetadata().withName(name).endMetadata();
        if (managed) {
            job.editMetadata().addToLabels(KubernetesEngine.MANAGED_BY, KubernetesEngine.TRAINER).endMetadata();
        }
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job.withNewStatus().addNewCondition().withType("Complete")
                .withStatus("True").withLastTransitionTime(ended.toString()).endCondition().endStatus().build()).create();
    }
}
