package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.TaskKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExperimentTablesTest {

    private static EvalReport student(String experiment, int round, int stage, String recipe, double value, double tokens) {
        return new EvalReport(1, round, stage, recipe, "student", TaskKind.MATH, "accuracy", value, 10, tokens, null, null,
                "/base", experiment, experiment == null ? null : "pool-1");
    }

    private static EvalReport baseline(String model, String baseModel, double value, double tokens) {
        return new EvalReport(1, 0, 0, model.equals("vanilla") ? "vanilla" : null, model, TaskKind.MATH, "accuracy", value,
                10, tokens, null, null, baseModel);
    }

    private final List<EvalReport> all = List.of(
            baseline("lab-terse", null, 0.9, 30), baseline("vanilla", "/base", 0.1, 80), baseline("vanilla", "/other", 0.2, 70),
            baseline("chance", null, 0.12, 4),
            student("exp-1", 2, 1, "twt", 0.3, 60), student("exp-1", 2, 2, "twt", 0.35, 40), student("exp-1", 2, 3, "twt", 0.4, 5),
            student("exp-1", 3, 1, "standard-kd", 0.45, 4),
            student("exp-0", 1, 1, "standard-kd", 0.99, 1), student(null, 1, 3, "twt", 0.98, 1));

    @Test
    void anExperimentsRowsAreItsStudentsAndTheBaselinesOfItsBaseModel() {
        List<EvalReport> rows = EvalReport.ofExperiment(all, "exp-1");
        assertEquals(7, rows.size());
        assertTrue(rows.stream().filter(r -> r.model().equals("student")).allMatch(r -> "exp-1".equals(r.experiment())));
        assertFalse(rows.stream().anyMatch(r -> "/other".equals(r.baseModel())), "another base model's vanilla row");
    }

    @Test
    void tableOneShowsEachRecipesFinalStageAndMarksTheBestRecipeInEachColumn() {
        String tables = ExperimentTables.render(EvalReport.ofExperiment(all, "exp-1"), List.of("twt", "standard-kd"), Set.of());
        String[] lines = tables.split("\n");
        assertTrue(lines[3].startsWith("teacher lab-terse"), tables);
        assertTrue(lines[6].startsWith("twt (stage 3)"), tables);
        assertTrue(lines[7].startsWith("standard-kd (stage 1)"), tables);
        assertTrue(lines[7].contains("45.0%*"), "standard-kd is the more accurate recipe: " + tables);
        assertTrue(lines[7].contains("4.0 tok^"), "and the shorter: " + tables);
        assertTrue(lines[6].contains("40.0%  "), tables);
        assertFalse(lines[3].contains("*"), "teachers are not ranked with the recipes: " + tables);
    }

    @Test
    void tableTwoListsEveryStageOfTheMultiStageRecipesOnly() {
        String tables = ExperimentTables.render(EvalReport.ofExperiment(all, "exp-1"), List.of("twt", "standard-kd"), Set.of());
        String tableTwo = tables.substring(tables.indexOf("Table 2"));
        assertTrue(tableTwo.contains("twt stage 1") && tableTwo.contains("twt stage 2") && tableTwo.contains("twt stage 3"), tables);
        assertFalse(tableTwo.contains("standard-kd stage"), tables);
        assertTrue(tableTwo.lines().filter(line -> line.startsWith("twt stage 3")).allMatch(line -> line.contains("40.0%*")));
    }

    @Test
    void experimentRowsCarryTheExperimentAndSnapshotOnEveryRowBaselinesToo() throws Exception {
        JsonNode rows = Json.MAPPER.readTree(ResultRows.json(ResultRows.ofExperiment(EvalReport.ofExperiment(all, "exp-1"),
                "exp-1", "pool-1"))).get("rows");
        assertEquals(7, rows.size());
        for (JsonNode row : rows) {
            assertEquals("exp-1", row.get("experiment").asText());
            assertEquals("pool-1", row.get("snapshot").asText());
        }
        assertEquals("teacher", rows.get(0).get("kind").asText());
        assertFalse(Json.MAPPER.readTree(ResultRows.json(all)).get("rows").get(0).has("experiment"),
                "a plain report's baseline rows stay as they were");
    }

    @Test
    void trainingDataShowsRowsAndLabelAccuracyPerRecipe() throws Exception {
        JsonNode status = Json.MAPPER.readTree("""
                {"recipes": [{"recipe": "select-confidence", "trainRows": 12,
                              "labelAccuracy": {"math": {"correct": 9, "withGold": 10}}}]}""");
        String table = ExperimentTables.trainingData(status);
        String row = table.lines().filter(line -> line.startsWith("select-confidence")).findFirst().orElseThrow();
        assertTrue(row.contains("90.0% of 10"), table);
        assertTrue(row.contains("12"), table);
    }
}
