package io.twt.lm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training process killed with SIGKILL and started again with --resume writes the unbroken run's adapter. */
class KillAndResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killedTrainingProcessResumesToTheSameAdapter() throws Exception {
        Path data = tmp.resolve("train.jsonl");
        List<String> lines = new ArrayList<>();
        List<String> corpus = new ArrayList<>();
        for (String item : List.of("apple", "pear", "plum", "fig", "cat", "dog", "cow", "hen")) {
            String kind = List.of("cat", "dog", "cow", "hen").contains(item) ? "animal" : "fruit";
            for (String template : List.of("Item: %s\nKind:", "Name: %s\nKind:")) {
                String prompt = String.format(template, item);
                lines.add(JSON.createObjectNode().put("prompt", prompt).put("completion", " " + kind).toString());
                corpus.add(prompt + " " + kind);
            }
        }
        Files.write(data, lines);
        Path base = ModelFactory.createRandom(tmp.resolve("base"), new ModelShape(400, 32, 64, 2, 2, 1, 128), corpus, 1L);

        JsonNode unbroken = JSON.readTree(train(base, data, tmp.resolve("unbroken")).waitForOutput());

        Path crashed = tmp.resolve("crashed");
        Child child = train(base, data, crashed);
        Path checkpoint = crashed.resolve("checkpoints/step-0000020");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(checkpoint) && child.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(checkpoint), "no checkpoint before the process ended");
        child.process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup

        JsonNode resumed = JSON.readTree(train(base, data, crashed, "--resume").waitForOutput());
        int from = resumed.get("resumedFrom").asInt();
        assertTrue(from >= 20 && from < unbroken.get("steps").asInt(), "resumed from step " + from);
        assertEquals(unbroken.get("steps").asInt(), resumed.get("steps").asInt());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("unbroken/adapter_model.safetensors")),
                Files.readAllBytes(crashed.resolve("adapter_model.safetensors")));
    }

    private record Child(Process process, Path stdout) {
        String waitForOutput() throws InterruptedException, IOException {
            assertTrue(process.waitFor(3, TimeUnit.MINUTES), "training did not finish");
            assertEquals(0, process.exitValue(), Files.readString(stdout.resolveSibling("stderr.txt")));
            return Files.readString(stdout);
        }
    }

    private Child train(Path base, Path data, Path out, String... extra) throws IOException {
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", LmCli.class.getName(), "train", "--model", base.toString(),
                "--data", data.toString(), "--out", out.toString(), "--epochs", "20", "--batch", "4", "--lr", "1e-2",
                "--rank", "4", "--dropout", "0.1", "--max-length", "24", "--checkpoint-every", "10", "--seed", "3"));
        command.addAll(List.of(extra));
        Path stdout = out.resolve(extra.length == 0 ? "stdout.txt" : "stdout-resumed.txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(out.resolve("stderr.txt").toFile()).start();
        return new Child(process, stdout);
    }
}
