package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.EvalReport;
import io.twt.common.TaskKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

    private static EvalReport report(String model, int stage, TaskKind task, double value, int n, double tokens) {
        return new EvalReport(1, 0, stage, "twt", model, task, task == TaskKind.CODE ? "pass@1" : "accuracy",
                value, n, tokens, null, null, null);
    }

    @Test
    void teachersVanillaAndChanceComeBeforeTheStudentStages() {
        String table = ResultsTable.render(List.of(
                report("student", 2, TaskKind.MATH, 0.5, 10, 12),
                report("chance", 0, TaskKind.MATH, 0.2, 10, 3),
                report("student", 1, TaskKind.MATH, 0.4, 10, 40),
                report("vanilla", 0, TaskKind.MATH, 0.1, 10, 80),
                report("terse", 0, TaskKind.MATH, 0.9, 10, 30)));
        String[] lines = table.split("\n");
        assertTrue(lines[2].startsWith("teacher terse"), table);
        assertTrue(lines[3].startsWith("vanilla student"), table);
        assertTrue(lines[4].startsWith("chance"), table);
        assertTrue(lines[5].startsWith("round 0 stage 1 twt"), table);
        assertTrue(lines[6].contains("50.0%"), table);
    }

    @Test
    void studentTokensArePooledPerStageByExampleCount() {
        Map<Integer, Double> tokens = ResultsTable.studentTokensByStage(List.of(
                report("student", 1, TaskKind.MATH, 0.4, 10, 40),
                report("student", 1, TaskKind.MCQ, 0.4, 30, 20),
                report("student", 3, TaskKind.MATH, 0.4, 10, 4),
                report("vanilla", 0, TaskKind.MATH, 0.1, 10, 80)), 0);
        assertEquals(Map.of(1, 25.0, 3, 4.0), tokens);
    }

    @Test
    void codeThatWasNotRunIsSaidSoInEveryRow() {
        String table = ResultsTable.render(List.of(report("student", 1, TaskKind.MATH, 0.4, 10, 40),
                report("terse", 0, TaskKind.MATH, 0.9, 10, 30)), java.util.Set.of(TaskKind.CODE));
        List<String> rows = List.of(table.split("\n")).subList(2, 4);
        assertTrue(rows.stream().allMatch(row -> row.contains("| not run: no sandbox")), table);
    }
}
