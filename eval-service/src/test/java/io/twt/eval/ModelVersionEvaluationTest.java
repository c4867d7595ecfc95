package io.twt.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.Rejection;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.common.Usage;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.eval.domain.model.LmModelLoader;
import io.twt.eval.domain.model.VersionEvaluator;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A model version on the topic -> reports on {@code twt.eval-reports} whose numbers equal a direct
 * evaluation of the same model on the same eval sets; then the dashboard, with teacher and DCRS records
 * added, rendered by headless Chromium (Debian package chromium).
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class ModelVersionEvaluationTest {

    private static final RecordCodec<EvalReport> REPORTS = RecordCodec.of(EvalReport.class);
    private static final RecordCodec<ModelVersion> VERSIONS = RecordCodec.of(ModelVersion.class);
    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);

    @Inject
    EvalSettings settings;

    @Inject
    Sandbox sandbox;

    @TestHTTPResource("/")
    URL dashboard;

    @Test
    @Timeout(600)
    void modelVersionIsReportedWithTheNumbersOfADirectEvaluation() throws Exception {
        Path model = tinyModel();
        TestTopics topics = new TestTopics(LocalKafkaResource.broker().bootstrapServers());
        ModelVersion version = new ModelVersion(SchemaVersion.CURRENT, 1, 3, "twt", model.toString(), null, 30, 900, 1.5, 2.0, 4,
                "exp-1", "pool-1");
        topics.send(Topic.MODEL_VERSIONS.topicName(), version.key(), VERSIONS.encode(version));

        List<EvalReport> reports = topics.awaitRecords(Topic.EVAL_REPORTS.topicName(), 9,
                        r -> r.key().startsWith("1:3:") || r.key().endsWith(":vanilla") || r.key().endsWith(":chance"),
                        Duration.ofMinutes(8))
                .stream().map(r -> REPORTS.decode(r.value())).toList();

        VersionEvaluator direct = new VersionEvaluator(EvalBeans.evalSets(settings, sandbox), new LmModelLoader(),
                new Evaluator(new Scorer(sandbox), 1), settings.batchSize(), settings.cap());
        Map<String, Map<TaskKind, TaskScore>> expected = Map.of(
                "student", direct.evaluate(model, null, null, 4),
                "vanilla", direct.evaluateVanilla(model, settings.vanillaMaxNewTokens()),
                "chance", LmModelLoader.withTokenCounter(model, direct::evaluateChance));
        for (EvalReport report : reports) {
            assertSameScore(expected.get(report.model()).get(report.task()), report);
            assertEquals(settings.limit(), report.n());
        }
        assertEquals(Map.of("student", 3L, "vanilla", 3L, "chance", 3L),
                reports.stream().collect(Collectors.groupingBy(EvalReport::model, Collectors.counting())));
        // an experiment's version's rows carry its labels; the baselines belong to no experiment
        assertTrue(reports.stream().allMatch(r -> r.model().equals("student")
                ? "exp-1".equals(r.experiment()) && "pool-1".equals(r.snapshot()) && "twt".equals(r.recipe())
                : r.experiment() == null && r.snapshot() == null), reports.toString());
        // the test profile has no margin: trained on 4-token completions, the version writes at most 2 x 4
        assertTrue(reports.stream().filter(r -> r.model().equals("student")).allMatch(r -> r.avgOutputTokens() <= 8), reports.toString());
        assertTrue(reports.stream().filter(r -> r.model().equals("vanilla")).anyMatch(r -> r.avgOutputTokens() > 8),
                "the vanilla student is capped by the gold answers, not by the version's completions: " + reports);
        // the constant reference program passes at least its own task's tests, in the sandbox
        assertTrue(reports.stream().anyMatch(r -> r.model().equals("chance") && r.task() == TaskKind.CODE && r.value() > 0),
                reports.toString());

        limitedExperimentRowsShareTheFirstEvalIds(topics, model);

        sendTeacherAndDcrsRecords(topics);
        assertEquals(1.0, teacherReportOnBothQueries(topics, "lab-careful").value());
        assertEquals(0.5, teacherReportOnBothQueries(topics, "lab-hasty").value());
        assertEquals(25.0, teacherReportOnBothQueries(topics, "lab-hasty").avgOutputTokens(), "the teacher's completion tokens");
        awaitDashboardShowing("lab-hasty");

        dashboardRendersInChromium();
    }

    private static void assertSameScore(TaskScore expected, EvalReport report) throws IOException {
        assertEquals(expected.metric(), report.metric());
        assertEquals(expected.value(), report.value(), report.key());
        assertEquals(expected.n(), report.n());
        assertEquals(expected.avgOutputTokens(), report.avgOutputTokens(), report.key());
        assertEquals(expected.outputTokenDistribution(), report.outputTokenDistribution());
        JsonNode examples = Json.MAPPER.readTree(Path.of(URI.create(report.perExampleUri())).toFile()).get("examples");
        for (int i = 0; i < expected.examples().size(); i++) {
            assertEquals(expected.examples().get(i).id(), examples.get(i).get("id").asText());
            assertEquals(expected.examples().get(i).correct(), examples.get(i).get("correct").asBoolean());
            assertEquals(expected.examples().get(i).outputTokens(), examples.get(i).get("outputTokens").asInt());
        }
    }

    /**
     * A version of an experiment with eval limit 2: its rows, and the experiment's own vanilla and chance rows, each on
     * the first 2 eval queries of every task, the same ids; the whole split's baselines stay as they were.
     */
    private void limitedExperimentRowsShareTheFirstEvalIds(TestTopics topics, Path model) throws IOException {
        ModelVersion limited = new ModelVersion(SchemaVersion.CURRENT, 2, 1, "standard-kd", model.toString(), null, 30, 900,
                1.5, 2.0, 4, "exp-2", "pool-2", 2);
        topics.send(Topic.MODEL_VERSIONS.topicName(), limited.key(), VERSIONS.encode(limited));
        List<EvalReport> reports = topics.awaitRecords(Topic.EVAL_REPORTS.topicName(), 9,
                        r -> r.key().startsWith("2:1:") || r.key().endsWith(":exp-2"), Duration.ofMinutes(5))
                .stream().map(r -> REPORTS.decode(r.value())).toList();
        assertEquals(Map.of("student", 3L, "vanilla", 3L, "chance", 3L),
                reports.stream().collect(Collectors.groupingBy(EvalReport::model, Collectors.counting())));
        for (TaskKind task : EvalBeans.evalSets(settings, sandbox).keySet()) {
            List<String> firstTwo = EvalBeans.evalSets(settings, sandbox).get(task).subList(0, 2).stream()
                    .map(item -> item.query().id()).toList();
            for (EvalReport report : reports.stream().filter(r -> r.task() == task).toList()) {
                assertEquals("exp-2", report.experiment(), report.key());
                assertEquals(2, report.n(), report.key());
                List<String> ids = new ArrayList<>();
                Json.MAPPER.readTree(Path.of(URI.create(report.perExampleUri())).toFile()).get("examples")
                        .forEach(example -> ids.add(example.get("id").asText()));
                assertEquals(firstTwo, ids, report.key());
            }
        }
    }

    /** Teacher rows are republished as outputs arrive: the one that counts both queries. */
    private static EvalReport teacherReportOnBothQueries(TestTopics topics, String teacher) {
        return REPORTS.decode(topics.awaitRecords(Topic.EVAL_REPORTS.topicName(), 1,
                r -> r.key().equals("0:0:math:" + teacher) && REPORTS.decode(r.value()).n() == 2, Duration.ofSeconds(60))
                .get(0).value());
    }

    /** Two lab teachers answer two math queries with gold labels: one always right, one wrong once. */
    private static void sendTeacherAndDcrsRecords(TestTopics topics) {
        List<Query> queries = LabTasks.generate(TaskKind.MATH, Split.EVAL, 2, 99);
        for (Query query : queries) {
            topics.send(Topic.TEACHER_OUTPUTS.topicName(), query.id(), OUTPUTS.encode(teacherOutput(query, "lab-careful",
                    query.gold(), 0.97)));
            topics.send(Topic.TEACHER_OUTPUTS.topicName(), query.id(), OUTPUTS.encode(teacherOutput(query, "lab-hasty",
                    query == queries.get(0) ? query.gold() + "1" : query.gold(), 0.6)));
        }
        DistillSampleSet accepted = new DistillSampleSet(SchemaVersion.CURRENT, queries.get(0).id(), queries.get(0),
                List.of(new DistillSample("lab-careful", "worked it out", queries.get(0).gold(), 0.97)), null, 1, 2);
        topics.send(Topic.DIVERSE_PAIRS.topicName(), accepted.queryId(), RecordCodec.of(DistillSampleSet.class).encode(accepted));
        Rejection rejected = new Rejection(SchemaVersion.CURRENT, queries.get(1).id(), Rejection.Reason.ALL_LOW_CONFIDENCE, "c < s");
        topics.send(Topic.REJECTED_QUERIES.topicName(), rejected.queryId(), RecordCodec.of(Rejection.class).encode(rejected));
    }

    private static TeacherOutput teacherOutput(Query query, String teacher, String answer, double confidence) {
        return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, 2, TeacherStatus.OK, "step by step",
                answer, Map.of("correctness", confidence), confidence, new Usage(40, 25), 10, 1, null);
    }

    private void awaitDashboardShowing(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Chromium.fetch(dashboard).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the dashboard never showed " + text);
            }
            Thread.sleep(500);
        }
    }

    private void dashboardRendersInChromium() throws Exception {
        Path out = Files.createTempDirectory("dashboard-");
        String dom = Chromium.dumpDom(dashboard.toString());
        assertTrue(dom.contains("vanilla student"), dom);
        assertTrue(dom.contains("chance"), dom);
        assertTrue(dom.contains("twt round 1 stage 3"), dom);
        assertTrue(dom.contains("lab-careful"), dom);
        assertTrue(dom.contains("<svg"), "charts are inline SVG");
        Path png = Chromium.screenshot(dashboard.toString(), out.resolve("dashboard.png"), 1400, 2000);
        Chromium.assertNotBlank(png);
    }

    private static Path tinyModel() throws IOException {
        List<String> corpus = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            for (Query query : LabTasks.generate(kind, Split.TRAIN, 60, 3)) {
                corpus.add(StudentPrompt.prompt(query) + StudentPrompt.completion(null, query.gold()));
            }
        }
        return ModelFactory.createRandom(Files.createTempDirectory("tiny-student-"), ModelShape.tiny(), corpus, 42L);
    }
}
