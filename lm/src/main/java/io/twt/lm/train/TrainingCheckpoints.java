package io.twt.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.io.DirectoryTree;
import io.twt.lm.io.SafetensorsFile;
import io.twt.lm.io.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Training checkpoints: {@code <dir>/step-0000012/} holds the trainable tensors, the optimizer state and a
 * state.json (step, run identity). A checkpoint folder is written under a temporary name and renamed when
 * complete, so the newest complete one is what a resumed run finds; the two newest are kept.
 */
public final class TrainingCheckpoints {

    private static final String TRAINABLE = "trainable.safetensors";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String STATE = "state.json";
    private static final int KEEP = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A loaded checkpoint; its tensors belong to the manager it was loaded with. */
    public record Loaded(Path dir, int step, JsonNode state, Map<String, NDArray> trainable,
                         Map<String, NDArray> optimizer) {
    }

    private TrainingCheckpoints() {
    }

    public static Path save(Path root, int step, Map<String, NDArray> trainable, Map<String, NDArray> optimizer,
                            ObjectNode state) {
        Path dir = root.resolve(String.format("step-%07d", step));
        Path partial = root.resolve(dir.getFileName() + ".partial");
        try {
            Files.createDirectories(partial);
            SafetensorsWriter.write(partial.resolve(TRAINABLE), trainable, Map.of());
            SafetensorsWriter.write(partial.resolve(OPTIMIZER), optimizer, Map.of());
            state.put("step", step);
            Files.writeString(partial.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
            DirectoryTree.delete(dir);
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            List<Path> all = complete(root);
            for (int i = 0; i < all.size() - KEEP; i++) {
                DirectoryTree.delete(all.get(i));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir, e);
        }
    }

    /** The newest complete checkpoint under root, if any. */
    public static Optional<Path> latest(Path root) {
        List<Path> all = complete(root);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public static Loaded load(Path dir, NDManager manager) {
        try {
            JsonNode state = JSON.readTree(dir.resolve(STATE).toFile());
            return new Loaded(dir, state.get("step").asInt(), state, read(dir.resolve(TRAINABLE), manager),
                    read(dir.resolve(OPTIMIZER), manager));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir, e);
        }
    }

    private static Map<String, NDArray> read(Path file, NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                tensors.put(name, f.load(name, manager));
            }
        }
        return tensors;
    }

    private static List<Path> complete(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().matches("step-\\d{7}"))
                    .filter(p -> Files.exists(p.resolve(STATE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
