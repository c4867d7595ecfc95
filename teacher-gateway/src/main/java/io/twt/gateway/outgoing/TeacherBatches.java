package io.twt.gateway.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.Usage;
import io.twt.gateway.domain.Batching;
import io.twt.gateway.domain.Completion;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One {@code mode: batch} teacher's lines through the Batch API. A query's call waits in {@link #answer} while its
 * line is buffered, then submitted in a batch (at {@code batch-max-requests} lines or {@code batch-max-age}), then
 * polled until the batch ends; an expired, failed or refused line answers empty and the caller asks online.
 * <p>
 * The provider is the ledger: every batch carries {@code metadata.twt_teacher}, and at start {@link #start} lists
 * the recent ones and reads their input files, so a query redelivered after a restart waits for its line in the
 * batch already open (or takes its result from one already ended) instead of being submitted again. A line is
 * identified by its custom id, the query's ask ({@code queryId} or {@code queryId#redrive-n}). Should a create
 * fail, the next try first looks for a batch over the same file, so a timeout cannot submit it twice.
 */
public final class TeacherBatches {

    private static final Logger LOG = Logger.getLogger(TeacherBatches.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");
    // a batch runs for at most 24 h; older ones cannot hold a line still waited for
    private static final Duration RECOVERY_WINDOW = Duration.ofHours(25);
    private static final int RECOVERY_LIST_LIMIT = 100;
    private static final int FINISHED_KEPT = 100_000;
    static final String METADATA_TEACHER = "twt_teacher";
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration WAIT_CHECK = Duration.ofSeconds(1);

    private final TeacherClient teacher;
    private final BatchApi api;
    private final Batching settings;
    private final Map<String, CompletableFuture<Optional<Completion>>> waiting = new HashMap<>();
    private final LinkedHashMap<String, ObjectNode> buffered = new LinkedHashMap<>();
    private final Map<String, List<String>> open = new LinkedHashMap<>();
    private final Set<String> inOpenBatch = new HashSet<>();
    private final Map<String, Long> enqueuedAt = new HashMap<>();
    private final Map<String, Optional<Completion>> finished = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Completion>> eldest) {
            return size() > FINISHED_KEPT;
        }
    };
    // the lines taken from the buffer for the next batch, its JSONL and, once uploaded, its file
    private final Set<String> pendingLines = new java.util.LinkedHashSet<>();
    private String pendingJsonl;
    private String pendingFile;
    private long oldestBufferedNanos;
    private long lastPollNanos;
    private ScheduledExecutorService timer;

    TeacherBatches(TeacherClient teacher, BatchApi api, Batching settings) {
        this.teacher = teacher;
        this.api = api;
        this.settings = settings;
    }

    /** Reads what the provider holds of this teacher's recent batches, then starts submitting and polling. */
    public void start() {
        try {
            recover();
        } catch (IOException e) {
            LOG.errorf("teacher %s: could not list its batches (%s); lines of a batch left open before a restart may be "
                    + "submitted again", teacher.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("batches-" + teacher.name()).factory());
        timer.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * The line's result once its batch ends: empty when the line failed or expired (ask online then).
     *
     * @param stillWanted checked every second while waiting; once false the wait ends with a
     *                    {@link CancellationException} (a rebalance moved the query's partition away)
     */
    public Optional<Completion> answer(String customId, ObjectNode body, BooleanSupplier stillWanted) throws InterruptedException {
        CompletableFuture<Optional<Completion>> result;
        synchronized (this) {
            Optional<Completion> done = finished.remove(customId);
            if (done != null) {
                return done;
            }
            result = waiting.computeIfAbsent(customId, id -> new CompletableFuture<>());
            if (!inOpenBatch.contains(customId) && !buffered.containsKey(customId) && !pendingLines.contains(customId)) {
                if (buffered.isEmpty()) {
                    oldestBufferedNanos = System.nanoTime();
                }
                ObjectNode line = MAPPER.createObjectNode().put("custom_id", customId).put("method", "POST").put("url", api.lineUrl());
                line.set("body", api.forLine(body));
                buffered.put(customId, line);
                enqueuedAt.put(customId, System.nanoTime());
            }
        }
        while (true) {
            try {
                return result.get(WAIT_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                return Optional.empty();
            } catch (TimeoutException e) {
                if (!stillWanted.getAsBoolean()) {
                    throw new CancellationException("query " + customId + " is no longer this process's to answer");
                }
            }
        }
    }

    void tick() {
        try {
            submitIfDue();
            if (System.nanoTime() - lastPollNanos >= settings.poll().toNanos()) {
                lastPollNanos = System.nanoTime();
                pollOpen();
            }
        } catch (IOException e) {
            LOG.warnf("teacher %s: batch API: %s; trying again", teacher.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "teacher %s: batch bookkeeping failed", teacher.name());
        }
    }

    private void submitIfDue() throws IOException, InterruptedException {
        List<String> lines;
        String jsonl;
        String file;
        synchronized (this) {
            if (pendingLines.isEmpty()) {
                boolean full = buffered.size() >= settings.maxRequests();
                boolean old = !buffered.isEmpty() && System.nanoTime() - oldestBufferedNanos >= settings.maxAge().toNanos();
                if (!full && !old) {
                    return;
                }
                StringBuilder text = new StringBuilder();
                var it = buffered.entrySet().iterator();
                while (it.hasNext() && pendingLines.size() < settings.maxRequests()) {
                    var line = it.next();
                    pendingLines.add(line.getKey());
                    text.append(line.getValue()).append('\n');
                    it.remove();
                }
                oldestBufferedNanos = System.nanoTime();
                pendingJsonl = text.toString();
            }
            lines = List.copyOf(pendingLines);
            jsonl = pendingJsonl;
            file = pendingFile;
        }
        // the HTTP calls run outside the lock, so queries of this teacher keep queueing lines meanwhile
        if (file == null) {
            file = api.upload(jsonl);
            synchronized (this) {
                pendingFile = file;
            }
        } else {
            // a create failed after this upload: the provider may have made the batch anyway
            String uploaded = file;
            Optional<JsonNode> made = api.list(RECOVERY_LIST_LIMIT).stream()
                    .filter(b -> uploaded.equals(b.path("input_file_id").asText())).findFirst();
            if (made.isPresent()) {
                opened(made.get().path("id").asText(), lines);
                return;
            }
        }
        JsonNode batch = api.create(file, Map.of(METADATA_TEACHER, teacher.name()));
        opened(batch.path("id").asText(), lines);
        LOG.infof("teacher %s: batch %s submitted with %d lines", teacher.name(), batch.path("id").asText(), lines.size());
    }

    private synchronized void opened(String batchId, List<String> lines) {
        open.put(batchId, lines);
        inOpenBatch.addAll(lines);
        pendingLines.clear();
        pendingJsonl = null;
        pendingFile = null;
    }

    private void pollOpen() throws IOException, InterruptedException {
        List<String> ids;
        synchronized (this) {
            ids = new ArrayList<>(open.keySet());
        }
        for (String batchId : ids) {
            JsonNode batch = api.get(batchId);
            if (ENDED.contains(batch.path("status").asText())) {
                ended(batch, true);
            }
        }
    }

    /** Maps an ended batch's output and error lines back to their custom ids; lines without a result answer empty. */
    private void ended(JsonNode batch, boolean account) throws IOException, InterruptedException {
        Map<String, Optional<Completion>> results = new HashMap<>();
        for (String fileField : List.of("output_file_id", "error_file_id")) {
            String fileId = batch.path(fileField).asText(null);
            if (fileId == null || fileId.isBlank() || batch.path(fileField).isNull()) {
                continue;
            }
            for (String line : api.content(fileId).lines().filter(l -> !l.isBlank()).toList()) {
                JsonNode result = MAPPER.readTree(line);
                results.put(result.path("custom_id").asText(), completion(result, account));
            }
        }
        String batchId = batch.path("id").asText();
        List<String> lines;
        synchronized (this) {
            lines = open.remove(batchId);
            if (lines == null) {
                lines = new ArrayList<>(results.keySet());
            }
            for (String customId : lines) {
                inOpenBatch.remove(customId);
                Optional<Completion> result = results.getOrDefault(customId, Optional.empty());
                CompletableFuture<Optional<Completion>> waiter = waiting.remove(customId);
                if (waiter != null) {
                    waiter.complete(result);
                } else {
                    finished.put(customId, result);
                }
            }
        }
        LOG.infof("teacher %s: batch %s %s: %d lines answered, %d to ask online", teacher.name(), batchId,
                batch.path("status").asText(), results.values().stream().filter(Optional::isPresent).count(),
                lines.stream().filter(id -> results.getOrDefault(id, Optional.empty()).isEmpty()).count());
    }

    private Optional<Completion> completion(JsonNode result, boolean account) throws IOException {
        JsonNode response = result.path("response");
        if (!result.path("error").isNull() && !result.path("error").isMissingNode() || response.path("status_code").asInt() != 200) {
            return Optional.empty();
        }
        CompletionResponse body = MAPPER.treeToValue(response.path("body"), CompletionResponse.class);
        Usage usage = body.usage() == null ? Usage.NONE : new Usage(body.usage().promptTokens(), body.usage().completionTokens());
        if (account) {
            teacher.accountBatch(usage, settings.priceFactor());
        }
        long waited;
        synchronized (this) {
            Long since = enqueuedAt.remove(result.path("custom_id").asText());
            waited = since == null ? 0 : (System.nanoTime() - since) / 1_000_000;
        }
        return Optional.of(new Completion(body.firstContent(), usage, waited, 1, body.firstReasoning(),
                body.firstMeanLogprob()));
    }

    private void recover() throws IOException, InterruptedException {
        long since = Instant.now().minus(RECOVERY_WINDOW).getEpochSecond();
        int openFound = 0;
        for (JsonNode batch : api.list(RECOVERY_LIST_LIMIT)) {
            if (!teacher.name().equals(batch.path("metadata").path(METADATA_TEACHER).asText())
                    || batch.path("created_at").asLong() < since) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (String line : api.content(batch.path("input_file_id").asText()).lines().filter(l -> !l.isBlank()).toList()) {
                lines.add(MAPPER.readTree(line).path("custom_id").asText());
            }
            synchronized (this) {
                open.put(batch.path("id").asText(), lines);
                inOpenBatch.addAll(lines);
            }
            if (ENDED.contains(batch.path("status").asText())) {
                // ended while no process watched it: results wait for their queries; their cost was counted, or is lost with the crash
                ended(batch, false);
            } else {
                openFound++;
            }
        }
        LOG.infof("teacher %s: %d open batches found at the provider", teacher.name(), openFound);
    }
}
