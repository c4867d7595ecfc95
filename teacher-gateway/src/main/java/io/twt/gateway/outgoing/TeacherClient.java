package io.twt.gateway.outgoing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.twt.common.ChatMessage;
import io.twt.common.Usage;
import io.twt.gateway.domain.Budget;
import io.twt.gateway.domain.CircuitBreaker;
import io.twt.gateway.domain.Completion;
import io.twt.gateway.domain.CompletionBody;
import io.twt.gateway.domain.RateLimiter;
import io.twt.gateway.domain.RequestSettings;
import io.twt.gateway.domain.RetryPolicy;
import io.twt.gateway.domain.SpendLedger;
import io.twt.gateway.domain.TeacherCallFailed;
import io.twt.gateway.domain.TeacherSpec;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Every call to one teacher goes through here, for the Kafka path and the HTTP chat API alike: the
 * teacher's concurrency bound, its request and token rates, its budget and circuit breaker, retries with
 * backoff and jitter that honour Retry-After, and the accounting (tokens, cost) in Prometheus metrics.
 */
public final class TeacherClient {

    private static final Logger LOG = Logger.getLogger(TeacherClient.class);
    private static final int CHARS_PER_TOKEN = 4;
    // a server may ask for a long pause, but not for one that stalls the stream indefinitely
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int ERROR_BODY_CHARS = 300;

    private final TeacherSpec spec;
    private final OpenAiChatApi api;
    private final String bearer;
    private final String azureKey;
    private final RequestSettings.Defaults defaults;
    private final SpendLedger spend;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final Semaphore slots;
    private final RateLimiter requestRate;
    private final RateLimiter tokenRate;
    private final Budget budget;
    private final MeterRegistry registry;
    private final Timer callTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TeacherClient(TeacherSpec spec, OpenAiChatApi api, String apiKey, RequestSettings.Defaults defaults,
                         RetryPolicy retry, CircuitBreaker breaker, SpendLedger spend, MeterRegistry registry) {
        this.spec = spec;
        this.defaults = defaults;
        this.spend = spend;
        this.api = api;
        boolean azure = spec.kind() == TeacherSpec.ApiKind.AZURE;
        this.bearer = apiKey == null || azure ? null : "Bearer " + apiKey;
        this.azureKey = azure ? apiKey : null;
        this.retry = retry;
        this.breaker = breaker;
        this.slots = new Semaphore(spec.maxConcurrency(), true);
        this.requestRate = spec.requestsPerMinute().isPresent() ? new RateLimiter(spec.requestsPerMinute().getAsInt(), System::nanoTime) : null;
        this.tokenRate = spec.tokensPerMinute().isPresent() ? new RateLimiter(spec.tokensPerMinute().getAsInt(), System::nanoTime) : null;
        this.budget = new Budget(spec.budgetUsd());
        budget.settle(spend.totalCostUsd(spec.name()));
        this.registry = registry;
        Tags tags = Tags.of("teacher", spec.name());
        this.callTime = Timer.builder("twt.gateway.call").description("HTTP calls to a teacher, by duration")
                .tags(tags).register(registry);
        registry.gauge("twt.gateway.in.flight", tags, inFlight);
        registry.gauge("twt.gateway.budget.spent.usd", tags, budget, Budget::spentUsd);
        registry.gauge("twt.gateway.budget.exhausted", tags, budget, b -> b.exhausted() ? 1 : 0);
        registry.gauge("twt.gateway.breaker.open", tags, breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1);
    }

    public TeacherSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /**
     * Gives this replica its share of the teacher's requests and tokens per minute: the configured limits hold
     * for all replicas together, so each takes 1/{@code replicas} of them.
     */
    public void shareLimitsAmong(int replicas) {
        if (requestRate != null) {
            requestRate.resize(Math.max(1, spec.requestsPerMinute().getAsInt() / Math.max(1, replicas)));
        }
        if (tokenRate != null) {
            tokenRate.resize(Math.max(1, spec.tokensPerMinute().getAsInt() / Math.max(1, replicas)));
        }
    }

    /** This replica's share of the teacher's requests per minute now; empty without a limit. */
    public OptionalDouble requestsPerMinuteNow() {
        return requestRate == null ? OptionalDouble.empty() : OptionalDouble.of(requestRate.perMinute());
    }

    /** What this teacher may still spend; queries wait on it, the budget gate pauses the consumer on it. */
    public Budget budget() {
        return budget;
    }

    /** The request body this teacher is sent for these messages, with its own settings (a batch line's body). */
    public ObjectNode body(List<ChatMessage> messages, JsonNode responseFormat) {
        return body(messages, responseFormat, null, null);
    }

    /** {@code maxTokens} and {@code temperature} override the teacher's settings when not null. */
    private ObjectNode body(List<ChatMessage> messages, JsonNode responseFormat, Integer maxTokens, Double temperature) {
        return CompletionBody.of(spec.model(), spec.request(), messages, responseFormat,
                maxTokens != null ? maxTokens : spec.request().maxTokens().orElse(defaults.maxTokens()),
                temperature, defaults.temperature());
    }

    /** Accounts a batch line's usage at the batch price ({@code priceFactor} of the teacher's prices). */
    public void accountBatch(Usage usage, double priceFactor) {
        account(usage, "generation-batch", priceFactor);
    }

    /**
     * One chat, retried as configured; {@code purpose} ("generation", "compression") labels the accounting.
     * {@code maxTokens} and {@code temperature} override the teacher's settings for this call when not null.
     */
    public Completion complete(List<ChatMessage> messages, JsonNode responseFormat, Integer maxTokens, Double temperature,
                               String purpose) throws TeacherCallFailed {
        ObjectNode request = body(messages, responseFormat, maxTokens, temperature);
        long started = System.nanoTime();
        String lastError = "no attempt made";
        boolean lastRefusedByBreaker = false;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            refuseIfBudgetSpent(purpose, started, attempt - 1);
            Duration retryAfter = null;
            lastRefusedByBreaker = !breaker.tryAcquire();
            if (lastRefusedByBreaker) {
                count(purpose, "circuit_open");
                lastError = "circuit breaker open after repeated failures";
                retryAfter = breaker.remainingOpen();
            } else {
                try {
                    Completion completion = call(request, purpose, started, attempt);
                    breaker.onSuccess();
                    return completion;
                } catch (WebApplicationException e) {
                    Response response = e.getResponse();
                    int status = response.getStatus();
                    lastError = "HTTP " + status + " from " + spec.name() + ": " + errorBody(response);
                    if (!retryable(status)) {
                        breaker.onSuccess();  // the teacher answered; the request itself is wrong
                        count(purpose, "rejected");
                        throw new TeacherCallFailed(TeacherCallFailed.Reason.REJECTED, lastError, Usage.NONE, millisSince(started), attempt);
                    }
                    breaker.onFailure();
                    count(purpose, status == 429 ? "rate_limited" : "server_error");
                    retryAfter = status == 429 || status == 503 ? retryAfter(response) : null;
                } catch (ProcessingException e) {
                    breaker.onFailure();
                    boolean timedOut = causedBy(e, TimeoutException.class) || String.valueOf(e.getMessage()).toLowerCase().contains("timeout");
                    count(purpose, timedOut ? "timeout" : "transport_error");
                    lastError = (timedOut ? "timed out after " + spec.timeout().toMillis() + " ms" : "call failed") + ": " + rootMessage(e);
                }
            }
            if (attempt < retry.maxAttempts()) {
                sleep(retry.delayAfter(attempt, retryAfter, ThreadLocalRandom.current()));
            }
        }
        throw new TeacherCallFailed(lastRefusedByBreaker ? TeacherCallFailed.Reason.CIRCUIT_OPEN : TeacherCallFailed.Reason.GAVE_UP,
                "gave up after " + retry.maxAttempts() + " attempts; last error: " + lastError,
                Usage.NONE, millisSince(started), retry.maxAttempts());
    }

    private Completion call(ObjectNode request, String purpose, long started, int attempt) throws TeacherCallFailed {
        acquireSlot();
        inFlight.incrementAndGet();
        try {
            // checked again with the slot held: calls queued for a slot must not all spend past the cap
            refuseIfBudgetSpent(purpose, started, attempt - 1);
            long estimate = promptChars(request) / CHARS_PER_TOKEN + CompletionBody.maxTokens(request);
            Duration wait = Duration.ZERO;
            if (requestRate != null) {
                wait = requestRate.reserve(1);
            }
            if (tokenRate != null) {
                Duration tokenWait = tokenRate.reserve(estimate);
                wait = tokenWait.compareTo(wait) > 0 ? tokenWait : wait;
            }
            sleep(wait);
            long callStart = System.nanoTime();
            CompletionResponse response;
            try {
                response = api.complete(bearer, azureKey, spec.apiVersion(), request);
            } finally {
                callTime.record(Duration.ofNanos(System.nanoTime() - callStart));
            }
            Usage usage = response.usage() == null ? Usage.NONE
                    : new Usage(response.usage().promptTokens(), response.usage().completionTokens());
            if (tokenRate != null) {
                tokenRate.charge(usage.promptTokens() + usage.completionTokens() - estimate);
            }
            account(usage, purpose, 1.0);
            count(purpose, "ok");
            return new Completion(response.firstContent(), usage, millisSince(started), attempt, response.firstReasoning(),
                    response.firstMeanLogprob());
        } finally {
            inFlight.decrementAndGet();
            slots.release();
        }
    }

    private void refuseIfBudgetSpent(String purpose, long started, int attempts) throws TeacherCallFailed {
        if (budget.exhausted()) {
            count(purpose, "budget_exhausted");
            throw new TeacherCallFailed(TeacherCallFailed.Reason.BUDGET_SPENT, budget.describeSpent(spec.name()),
                    Usage.NONE, millisSince(started), attempts);
        }
    }

    private void account(Usage usage, String purpose, double priceFactor) {
        counter("twt.gateway.tokens", "tokens reported by the teacher", "purpose", purpose, "type", "prompt")
                .increment(usage.promptTokens());
        counter("twt.gateway.tokens", "tokens reported by the teacher", "purpose", purpose, "type", "completion")
                .increment(usage.completionTokens());
        double cost = spec.costUsd(usage.promptTokens(), usage.completionTokens()) * priceFactor;
        counter("twt.gateway.cost.usd", "what the teacher's tokens cost at the configured prices", "purpose", purpose)
                .increment(cost);
        spend.record(spec.name(), LocalDate.now(ZoneOffset.UTC), usage, cost);
        budget.settle(spend.totalCostUsd(spec.name()));
    }

    private void count(String purpose, String outcome) {
        counter("twt.gateway.calls", "attempts to call a teacher, by outcome", "purpose", purpose, "outcome", outcome).increment();
    }

    /** This teacher's counter with these tags, looked up once: registering on every call costs more than the call's bookkeeping. */
    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + String.join("\u0000", tags), key -> Counter.builder(name)
                .description(description).tag("teacher", spec.name()).tags(tags).register(registry));
    }

    private void acquireSlot() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingException("interrupted while waiting for a free slot of " + spec.name(), e);
        }
    }

    private static long promptChars(ObjectNode request) {
        long chars = 0;
        for (JsonNode message : request.path("messages")) {
            chars += message.path("content").asText("").length();
        }
        return chars;
    }

    /** 408, 409, 425, 429 and 5xx are worth another try; other statuses mean the request itself is wrong. */
    static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
    }

    /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Response response) {
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration wait;
        try {
            wait = Duration.ofMillis((long) (Double.parseDouble(value.strip()) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait;
    }

    private static String errorBody(Response response) {
        try {
            String body = response.readEntity(String.class);
            if (body == null || body.isBlank()) {
                return "(no body)";
            }
            return body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) + "..." : body;
        } catch (RuntimeException e) {
            return "(body unreadable)";
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t) || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
