package io.twt.lm.serve;

import io.twt.lm.MultiLoraModel;
import io.twt.lm.generate.Generator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches the model. Static batching: when a batch starts it takes every waiting request for
 * the same model (base or one adapter), up to maxBatch, and runs them together, one shared forward pass per step
 * with a KV cache per sequence, until the last of them ends; requests that arrive meanwhile wait for the next
 * batch. Adapter loads and unloads run between batches.
 */
final class BatchScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

    private final MultiLoraModel student;
    private final int maxBatch;
    private final LinkedBlockingDeque<Object> queue = new LinkedBlockingDeque<>(); // CompletionJob or AdminTask
    private final Thread worker;
    private volatile boolean running = true;
    private volatile int largestBatch;

    /** Work on the model that is not generation (loading or unloading an adapter), run alone. */
    private record AdminTask(Function<MultiLoraModel, ?> work, CompletableFuture<Object> result) {
    }

    BatchScheduler(MultiLoraModel student, int maxBatch) {
        this.student = student;
        this.maxBatch = maxBatch;
        this.worker = Thread.ofPlatform().name("lm-serve-batches").daemon().start(this::loop);
    }

    void submit(CompletionJob job) {
        queue.add(job);
    }

    /** Runs work on the model thread between batches and waits for it; its exception is rethrown. */
    @SuppressWarnings("unchecked")
    <T> T onModelThread(Function<MultiLoraModel, T> work) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        queue.add(new AdminTask((Function<MultiLoraModel, ?>) work, result));
        try {
            return (T) result.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw OpenAiError.internal("the model thread did not answer: " + e);
        }
    }

    private void loop() {
        while (running) {
            Object first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first instanceof AdminTask task) {
                try {
                    task.result().complete(task.work().apply(student));
                } catch (RuntimeException e) {
                    task.result().completeExceptionally(e);
                }
            } else if (first instanceof CompletionJob job) {
                run(batchWith(job));
            }
        }
    }

    /** The first job and every waiting job for the same model, in arrival order, up to maxBatch. */
    private List<CompletionJob> batchWith(CompletionJob first) {
        List<CompletionJob> batch = new ArrayList<>(List.of(first));
        Iterator<Object> waiting = queue.iterator();
        while (batch.size() < maxBatch && waiting.hasNext()) {
            Object next = waiting.next();
            if (next instanceof AdminTask) {
                break; // an unload must not overtake the requests sent before it
            }
            if (next instanceof CompletionJob job && Objects.equals(job.adapter, first.adapter) && queue.remove(job)) {
                batch.add(job);
            }
        }
        return batch;
    }

    private void run(List<CompletionJob> batch) {
        try {
            if (batch.get(0).adapter != null && !student.hasAdapter(batch.get(0).adapter)) {
                batch.forEach(job -> job.fail(OpenAiError.modelNotFound(job.adapter)));
                return;
            }
            largestBatch = Math.max(largestBatch, batch.size());
            List<Generator.Row> rows = batch.stream().map(job -> job.row(student)).toList();
            List<Generator.Output> outputs = student.generate(batch.get(0).adapter, rows);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).finish(student, outputs.get(i));
            }
        } catch (RuntimeException e) {
            LOG.warn("a batch of {} failed", batch.size(), e);
            batch.forEach(job -> job.fail(OpenAiError.internal("generation failed: " + e)));
        }
    }

    /** The most requests that ran together so far. */
    int largestBatch() {
        return largestBatch;
    }

    @Override
    public void close() {
        running = false;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
