package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultRowsTest {

    private static EvalReport report(String model, int round, int stage, String recipe, TaskKind task, double value) {
        return new EvalReport(1, round, stage, recipe, model, task, task == TaskKind.CODE ? "pass@1" : "accuracy",
                value, 40, 7.5, null, null, null);
    }

    private static final List<EvalReport> REPORTS = List.of(
            report("student", 1, 2, "twt", TaskKind.MATH, 0.5),
            report("chance", 0, 0, null, TaskKind.MCQ, 0.3),
            report("student", 1, 1, "twt", TaskKind.MATH, 0.4),
            report("vanilla", 0, 0, "vanilla", TaskKind.MATH, 0.1),
            report("lab-terse", 0, 0, null, TaskKind.CODE, 0.9),
            report(null, 1, 3, "twt", TaskKind.MCQ, 0.6));

    @Test
    void rowsAreNamedAndOrderedAsThePrintedTable() {
        List<ResultRows.Row> rows = ResultRows.of(REPORTS);
        assertEquals(List.of("teacher lab-terse", "vanilla student", "chance", "round 1 stage 1 twt", "round 1 stage 2 twt",
                "round 1 stage 3 twt"), rows.stream().map(ResultRows.Row::model).toList());
        String[] table = ResultsTable.render(REPORTS).split("\n");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).model(), table[i + 2].substring(0, 28).strip());
        }
    }

    @Test
    void jsonHasEveryFieldOfTheSharedShape() throws Exception {
        JsonNode rows = Json.MAPPER.readTree(ResultRows.json(REPORTS)).get("rows");
        assertEquals(REPORTS.size(), rows.size());
        JsonNode chance = rows.get(2);
        assertEquals("chance", chance.get("model").asText());
        assertEquals("chance", chance.get("kind").asText());
        assertEquals(0, chance.get("round").asInt());
        assertEquals(0, chance.get("stage").asInt());
        assertEquals(true, chance.get("recipe").isNull(), "present, so every row has the same keys");
        assertEquals("mcq", chance.get("task").asText());
        assertEquals("accuracy", chance.get("metric").asText());
        assertEquals(0.3, chance.get("value").asDouble());
        assertEquals(40, chance.get("n").asInt());
        assertEquals(7.5, chance.get("avgOutputTokens").asDouble());
        assertEquals(List.of("teacher", "vanilla", "chance", "student", "student", "student"),
                rows.findValuesAsText("kind"));
        assertEquals("pass@1", rows.get(0).get("metric").asText());
    }

    @Test
    void aReportWithoutAModelIsTheStudents() {
        assertEquals(ResultRows.Kind.STUDENT, ResultRows.kindOf(report(null, 1, 3, "twt", TaskKind.MCQ, 0.6)));
    }
}
