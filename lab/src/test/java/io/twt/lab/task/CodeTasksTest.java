package io.twt.lab.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code tasks are real Python: the reference passes its three asserts and the teachers' bug fails one. */
class CodeTasksTest {

    @TempDir
    Path dir;

    @Test
    void referenceSolutionsPassTheirTestsAndTheWrongVariantsDoNot() throws Exception {
        assumeTrue(python() != null, "python3 is needed to run the asserts");
        List<Query> queries = LabTasks.generate(TaskKind.CODE, Split.TRAIN, 40, 5);
        for (Query query : queries) {
            Solution solution = LabTasks.solve(StudentPrompt.prompt(query), new Random(2)).orElseThrow();
            assertEquals(0, run(query.gold(), query.tests()), "reference fails: " + query.gold() + "\n" + query.tests());
            assertNotEquals(0, run(solution.wrongAnswer(), query.tests()), "bug passes: " + solution.wrongAnswer() + "\n" + query.tests());
        }
    }

    private int run(String program, List<String> tests) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "task", ".py");
        Files.writeString(file, program + "\n" + String.join("\n", tests) + "\n");
        Process process = new ProcessBuilder(python(), file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python did not finish within 20 s");
        }
        return process.exitValue();
    }

    private static String python() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
