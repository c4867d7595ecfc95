package io.twt.lm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes training checkpoints ({@link TrainingCheckpoints}) on a thread of its own from copies taken at the step,
 * so the disk and its fsync stay off the training loop: one write at a time, the next save (or close) waits for the
 * previous one, and a failed write surfaces there.
 */
public final class CheckpointWriter implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "lm-checkpoint-writer");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending = CompletableFuture.completedFuture(null);

    /** Copies the tensors now (the next step changes them in place) and writes them in the background. */
    public void save(Path root, int step, Map<String, NDArray> trainable, Map<String, NDArray> optimizer, ObjectNode state,
                     NDManager parent) {
        awaitPending();
        NDManager copies = parent.newSubManager();
        Map<String, NDArray> trainableCopy = copy(trainable, copies);
        Map<String, NDArray> optimizerCopy = copy(optimizer, copies);
        pending = thread.submit(() -> {
            try (copies) {
                TrainingCheckpoints.save(root, step, trainableCopy, optimizerCopy, state);
            }
        });
    }

    /** Blocks until the last checkpoint is on disk; rethrows its failure. */
    public void awaitPending() {
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a checkpoint was written", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            awaitPending();
        } finally {
            thread.shutdown();
        }
    }

    private static Map<String, NDArray> copy(Map<String, NDArray> tensors, NDManager manager) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            NDArray copy = tensor.duplicate();
            NDScope.unregister(copy);
            copy.attach(manager);
            copies.put(name, copy);
        });
        return copies;
    }
}
