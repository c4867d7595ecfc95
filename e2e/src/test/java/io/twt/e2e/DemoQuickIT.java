package io.twt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.cli.DemoSizes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The project's end-to-end test: {@code ./twt demo --quick} on the packaged services, as a user runs it. */
class DemoQuickIT {

    private static final Path ROOT = Path.of(System.getProperty("twt.root", "..")).toAbsolutePath().normalize();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void quickDemoDistilsThreeStagesWithFallingOutputTokens() throws Exception {
        Process demo = new ProcessBuilder(ROOT.resolve("twt").toString(), "demo", "--quick")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("[demo] " + line);
                output.add(line);
            }
        }
        assertTrue(demo.waitFor(1, TimeUnit.MINUTES), "demo did not exit");
        assertEquals(0, demo.exitValue(), "demo failed; its output is above");
        for (int stage = 1; stage <= 3; stage++) {
            Pattern row = Pattern.compile("^round \\d+ stage " + stage + " .*");
            assertTrue(output.stream().anyMatch(l -> row.matcher(l).matches()), "no table row for stage " + stage);
        }
        assertTrue(output.stream().anyMatch(l -> l.startsWith("vanilla student")), "no vanilla row");
        assertTrue(output.stream().anyMatch(l -> l.startsWith("chance ")), "no chance row");
        assertTrue(output.stream().anyMatch(l -> l.startsWith("teacher ")), "no teacher rows");
        Matcher tokens = Pattern.compile("mean output tokens by stage \\(round \\d+\\): \\{1=([\\d.]+), 2=([\\d.]+), 3=([\\d.]+)}")
                .matcher(String.join("\n", output));
        assertTrue(tokens.find(), "no tokens-by-stage line");
        assertTrue(Double.parseDouble(tokens.group(3)) < Double.parseDouble(tokens.group(1)), tokens.group());
        assertTrue(Files.size(ROOT.resolve(".twt/demo/report.html")) > 1000, "HTML report missing");
        String results = Files.readString(ROOT.resolve(".twt/demo/results.json")).replaceAll("\\s", "");
        for (String kind : List.of("teacher", "vanilla", "chance", "student")) {
            assertTrue(results.contains("\"kind\":\"" + kind + "\""), "no " + kind + " row in results.json");
        }
        // the demo's eval size reached eval-service through the launcher: every row is scored on that many queries
        Matcher scored = Pattern.compile("\"n\":(\\d+)").matcher(results);
        while (scored.find()) {
            assertEquals(DemoSizes.quick().evalLimit(), Integer.parseInt(scored.group(1)), "a row's n in results.json");
        }
        assertTrue(ProcessHandle.allProcesses().noneMatch(DemoQuickIT::startedByTheDemo), "the demo left processes running");
    }

    private static boolean startedByTheDemo(ProcessHandle process) {
        String command = process.info().commandLine().orElse("");
        return command.contains(ROOT.toString()) && (command.contains("quarkus-run.jar")
                || command.contains("LocalKafkaMain") || command.contains("LabTeacherServer"));
    }
}
