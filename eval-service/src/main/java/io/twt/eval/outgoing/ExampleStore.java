package io.twt.eval.outgoing;

import io.twt.common.Json;
import io.twt.eval.EvalSettings;
import io.twt.eval.domain.scoring.TaskScore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes per-example results into the model store: {@code <store>/eval/<model>/[<experiment>-]r<round>-s<stage>[-<recipe>]-<task>.json},
 * the experiment prefix on the baselines an experiment with an eval limit has of its own.
 */
@ApplicationScoped
public class ExampleStore {

    private final Path root;

    public ExampleStore(EvalSettings settings) {
        this.root = Path.of(settings.modelStore()).resolve("eval");
    }

    /** Writes the score with its examples (atomically, so a reader never sees half a file) and returns its URI. */
    public String write(String model, int round, int stage, String recipe, TaskScore score) {
        return write(model, null, round, stage, recipe, score);
    }

    public String write(String model, String experiment, int round, int stage, String recipe, TaskScore score) {
        String name = (experiment == null ? "" : safe(experiment) + "-") + "r" + round + "-s" + stage + (recipe == null ? "" : "-" + safe(recipe)) + "-" + score.task().wire() + ".json";
        Path file = root.resolve(safe(model)).resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(name + ".partial");
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), score);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write per-example results to " + file, e);
        }
        return file.toUri().toString();
    }

    /** Reads back a score written by {@link #write}; null when the file is gone (the model store was wiped). */
    public TaskScore read(String uri) {
        Path file = Path.of(URI.create(uri));
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), TaskScore.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read per-example results " + file, e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
