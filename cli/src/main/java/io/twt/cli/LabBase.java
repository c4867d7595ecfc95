package io.twt.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab's base student, pretrained once and cached under a content hash: {@code ./twt up} makes it (with its own
 * progress bar) so that the trainer finds it made instead of pretraining inside its first round.
 *
 * @param cache where the lab keeps its base students ({@code TWT_LAB_BASE_CACHE}, default ~/.cache/twt)
 * @param spec  which base: {@code standard}, or {@code smoke} for the quick demo ({@code TWT_LAB_BASE_SPEC})
 */
public record LabBase(Path cache, String spec) {

    static final String STANDARD = "standard";

    /** {@code TWT_LAB_BASE_CACHE} and {@code TWT_LAB_BASE_SPEC}, else ~/.cache/twt and the standard base. */
    static LabBase fromEnvironment() {
        String cache = System.getenv().getOrDefault("TWT_LAB_BASE_CACHE", System.getProperty("user.home") + "/.cache/twt");
        String spec = System.getenv().getOrDefault("TWT_LAB_BASE_SPEC", STANDARD);
        return new LabBase(Path.of(cache), spec);
    }

    public LabBase withSpec(String other) {
        return new LabBase(cache, other);
    }

    /** The base student's directory: made or found by {@code LabBaseMain}, which prints it as its last line. */
    Path ensure(Checkout checkout) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(List.of(checkout.java(), "-Xmx4g", "-Dai.djl.offline=true", "-cp",
                checkout.classpath("lab"), "io.twt.lab.student.LabBaseMain", "--cache", cache.toString(), "--spec", spec))
                .directory(checkout.root().toFile()).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        Thread progress = Thread.ofPlatform().start(() -> showProgress(process));
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line.strip();
            }
        }
        progress.join();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pretraining the lab base student failed");
        }
        Path dir = Path.of(last);
        if (last.isEmpty() || !Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalStateException("no lab base student in '" + last + "'");
        }
        Console.log("lab base student (" + spec + ") ready after " + (System.nanoTime() - started) / 1_000_000_000 + "s");
        return dir;
    }

    /** The pretraining's progress bar, without the logging libraries' start-up noise; lines end at '\n' only (a bar redraws with '\r'). */
    private static void showProgress(Process process) {
        try (InputStream err = process.getErrorStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = err.read(); b != -1; b = err.read()) {
                line.write(b);
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    if (!text.startsWith("SLF4J") && !text.startsWith("WARNING")) {
                        System.err.print(text);
                    }
                    line.reset();
                }
            }
            System.err.print(line.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the process ended; its exit status says whether it failed
        }
    }
}
