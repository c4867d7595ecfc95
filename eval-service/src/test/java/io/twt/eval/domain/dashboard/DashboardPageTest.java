package io.twt.eval.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.EvalReport;
import io.twt.common.Query;
import io.twt.common.Rejection;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherSpend;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardPageTest {

    private static final Query MATH = Query.of("q1", TaskKind.MATH, "2+2?", null, null, "lab", "4");

    static EvalReport report(String model, int round, int stage, String recipe, TaskKind task, double value, double tokens) {
        return new EvalReport(SchemaVersion.CURRENT, round, stage, recipe, model, task, task == TaskKind.CODE ? "pass@1" : "accuracy",
                value, 10, tokens, Map.of("8", 10), null, null);
    }

    static TeacherOutput output(String teacher, String queryId, TeacherStatus status, double confidence) {
        Query query = Query.of(queryId, TaskKind.MATH, "2+2?", null, null, "lab", "4");
        return new TeacherOutput(SchemaVersion.CURRENT, queryId, query, teacher, 2, status, "2+2=4", "4", Map.of(),
                confidence, new Usage(10, 20), 5, 1, null);
    }

    @Test
    void rowsComeInThePapersOrderTeachersVanillaThenStages() {
        ResultTable table = ResultTable.of(List.of(
                report("student", 1, 2, "twt", TaskKind.MATH, 0.5, 40),
                report("student", 1, 1, "twt", TaskKind.MATH, 0.4, 90),
                report("vanilla", 0, 0, "vanilla", TaskKind.MATH, 0.2, 120),
                report("gpt-4", 0, 0, null, TaskKind.MATH, 0.9, 300),
                report("student", 1, 1, "twt", TaskKind.CODE, 0.3, 50)));
        assertEquals(List.of("gpt-4", "vanilla student", "twt round 1 stage 1", "twt round 1 stage 2"),
                table.rows().stream().map(ResultTable.Row::name).toList());
        assertEquals(2, table.rows().get(2).cells().size(), "stage 1 has a code and a math cell");
    }

    @Test
    void pageShowsTablesChartsAndKeepRates() {
        DcrsStats dcrs = new DcrsStats(0.95);
        dcrs.record(output("gpt-4", "q1", TeacherStatus.OK, 0.97));
        dcrs.record(output("gpt-4", "q2", TeacherStatus.OK, 0.50));
        dcrs.record(output("gpt-4", "q2", TeacherStatus.OK, 0.50));
        dcrs.record(output("mistral", "q1", TeacherStatus.FAILED, 0.0));
        dcrs.record(new DistillSampleSet(SchemaVersion.CURRENT, "q1", MATH,
                List.of(new DistillSample("gpt-4", "2+2=4", "4", 0.97)), null, 1, 2));
        dcrs.record(new Rejection(SchemaVersion.CURRENT, "q2", Rejection.Reason.ALL_LOW_CONFIDENCE, "below s"));
        DashboardView view = new DashboardView(Instant.parse("2026-01-01T00:00:00Z"), ResultTable.of(List.of(
                report("student", 1, 1, "twt", TaskKind.MATH, 0.4, 90), report("vanilla", 0, 0, "vanilla", TaskKind.MATH, 0.25, 120))),
                dcrs.keepRates(), dcrs.confidenceHistograms(), dcrs.queryOutcomes(), 0.95, "BUBBLEWRAP", "BUBBLEWRAP: nothing but /usr",
                TeacherSpend.perTeacherPerDay(List.of(
                        new TeacherSpend(1, "gpt-4", "2026-01-01", "gw-a", 1000, 200, 0.25, 3),
                        new TeacherSpend(1, "gpt-4", "2026-01-01", "gw-b", 500, 100, 0.125, 2))));

        String html = DashboardPage.render(view, 10);
        assertTrue(html.contains("<td class=\"name\">gpt-4</td><td>2026-01-01</td><td>5</td><td>1500</td><td>300</td><td>0.3750</td>"),
                "the spend table sums the replicas per teacher and day: " + html);

        assertTrue(html.contains("<td class=\"name\">twt round 1 stage 1</td>"), html);
        assertTrue(html.contains("<td>40.00%</td><td>90</td><td>10</td>"), html);
        assertTrue(html.contains("id=\"stage-chart\""));
        assertTrue(html.contains("stage 1"));
        assertTrue(html.contains("gpt-4 (2)"), "the confidence legend counts each (query, teacher) once");
        assertTrue(html.contains("<td class=\"name\">gpt-4</td><td>2</td><td>2</td><td>1</td><td>50.0%</td>"), html);
        assertTrue(html.contains("<td>2</td><td>1</td><td>0</td><td>1</td>"), "one accepted, one rejected for low confidence");
        assertFalse(html.contains("<script"), "no scripts: the page works offline and without JavaScript");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "nothing is fetched from the network");
    }

    @Test
    void namesAreEscaped() {
        DashboardView view = new DashboardView(Instant.EPOCH, ResultTable.of(List.of(
                report("<script>x</script>", 0, 0, null, TaskKind.MCQ, 1.0, 3))), Map.of(), Map.of(),
                new DcrsStats(0.95).queryOutcomes(), 0.95, "BUBBLEWRAP", "BUBBLEWRAP: nothing but /usr", Map.of());
        String html = DashboardPage.render(view, 10);
        assertFalse(html.contains("<script>x"));
        assertTrue(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    }

    @Test
    void aSandboxWithoutNamespacesIsShownWithWhatItLeavesReachable() {
        DashboardView view = new DashboardView(Instant.EPOCH, ResultTable.of(List.of()), Map.of(), Map.of(),
                new DcrsStats(0.95).queryOutcomes(), 0.95, "NONE", "no isolation, code refused: bubblewrap is not installed", Map.of());
        String html = DashboardPage.render(view, 10);
        assertTrue(html.contains("<strong>code sandbox NONE</strong>: no isolation, code refused: bubblewrap is not installed"),
                html);
    }

    private static EvalReport inExperiment(String experiment, int round, int stage, String recipe, double value, double tokens) {
        EvalReport plain = report("student", round, stage, recipe, TaskKind.MATH, value, tokens);
        return new EvalReport(plain.schemaVersion(), round, stage, recipe, "student", TaskKind.MATH, plain.metric(), value,
                plain.n(), tokens, plain.outputTokenDistribution(), null, "/base", experiment, "pool-1");
    }

    @Test
    void anExperimentsPageShowsItsRecipesStagesBesideTheBaselinesAndOnePointPerRecipeAndStage() {
        List<EvalReport> reports = List.of(report("gpt-4", 0, 0, null, TaskKind.MATH, 0.9, 300),
                inExperiment("exp-1", 2, 1, "twt", 0.3, 60), inExperiment("exp-1", 2, 2, "twt", 0.35, 30),
                inExperiment("exp-1", 3, 1, "standard-kd", 0.4, 4), inExperiment("exp-0", 1, 1, "standard-kd", 0.9, 4));
        String html = DashboardPage.renderExperiment("exp-1", ResultTable.of(EvalReport.ofExperiment(reports, "exp-1")), 10);
        assertTrue(html.contains("<h1>Experiment exp-1</h1>"), html);
        for (String row : List.of("gpt-4", "twt round 2 stage 1", "twt round 2 stage 2", "standard-kd round 3 stage 1")) {
            assertTrue(html.contains(">" + row + "<"), row + " in " + html);
        }
        assertFalse(html.contains("round 1 stage 1"), "another experiment's rows: " + html);
        String mathChart = html.substring(html.indexOf("math: accuracy vs mean output tokens"));
        mathChart = mathChart.substring(0, mathChart.indexOf("</svg>"));
        assertEquals(3, mathChart.split("r=\"5\" fill=\"#").length - 1, "one point per recipe and stage: " + mathChart);
    }

    @Test
    void theDashboardLinksEveryExperimentsPage() {
        DashboardView view = new DashboardView(Instant.EPOCH, ResultTable.of(List.of()), Map.of(), Map.of(),
                new DcrsStats(0.95).queryOutcomes(), 0.95, "BUBBLEWRAP", "BUBBLEWRAP: nothing but /usr", Map.of(),
                List.of("exp-1", "exp-2"));
        String html = DashboardPage.render(view, 10);
        assertTrue(html.contains("<a href=\"experiments/exp-1\">exp-1</a> <a href=\"experiments/exp-2\">exp-2</a>"), html);
    }
}
