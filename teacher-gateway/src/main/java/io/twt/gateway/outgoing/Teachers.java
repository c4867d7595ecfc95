package io.twt.gateway.outgoing;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.Startup;
import io.twt.gateway.config.GatewaySettings;
import io.twt.gateway.domain.CircuitBreaker;
import io.twt.gateway.domain.RequestSettings;
import io.twt.gateway.domain.RetryPolicy;
import io.twt.gateway.domain.SpendLedger;
import io.twt.gateway.domain.TeacherSpec;
import io.twt.gateway.domain.TeachersFile;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * The configured teachers, each with its own REST client: from the teachers file when one is given,
 * otherwise the lab teachers at {@code twt.gateway.lab-url}. Keys are read here and never logged.
 */
@Startup
@ApplicationScoped
public class Teachers {

    private static final Logger LOG = Logger.getLogger(Teachers.class);
    private static final long LONGEST_CONNECT_TIMEOUT_MS = 10_000;

    private final Map<String, TeacherClient> clients = new LinkedHashMap<>();
    private final Map<String, TeacherBatches> batches = new LinkedHashMap<>();

    public Teachers(GatewaySettings config, SpendLedger spend, MeterRegistry registry) {
        List<TeacherSpec> specs = config.teachersFile().map(TeachersFile::read).orElseGet(() -> labTeachers(config));
        RetryPolicy retry = new RetryPolicy(config.retry().maxAttempts(), config.retry().backoffBase(), config.retry().backoffMax());
        RequestSettings.Defaults defaults = new RequestSettings.Defaults(config.maxTokens(), config.temperature());
        for (TeacherSpec spec : specs) {
            CircuitBreaker breaker = new CircuitBreaker(config.breaker().failures(), config.breaker().openFor(), System::nanoTime);
            TeacherClient client = new TeacherClient(spec, restClient(spec), apiKey(spec), defaults, retry, breaker, spend, registry);
            clients.put(spec.name(), client);
            if (spec.batching() != null) {
                batches.put(spec.name(), new TeacherBatches(client, new BatchApi(spec, apiKey(spec)), spec.batching()));
            }
            LOG.infof("teacher %s: model %s at %s (%s%s), max %d concurrent, timeout %s", spec.name(), spec.model(),
                    spec.baseUrl(), spec.kind().name().toLowerCase(), spec.batching() == null ? "" : ", batch API", spec.maxConcurrency(),
                    spec.timeout());
        }
        LOG.infof("%d teachers from %s", clients.size(),
                config.teachersFile().map(Path::toString).orElse("the lab at " + config.labUrl()));
    }

    public List<TeacherClient> all() {
        return List.copyOf(clients.values());
    }

    public Optional<TeacherClient> named(String name) {
        return Optional.ofNullable(clients.get(name));
    }

    /** The Batch API queue of a {@code mode: batch} teacher. */
    public Optional<TeacherBatches> batchesOf(String name) {
        return Optional.ofNullable(batches.get(name));
    }

    public List<TeacherBatches> allBatches() {
        return List.copyOf(batches.values());
    }

    @PreDestroy
    void stopBatches() {
        batches.values().forEach(TeacherBatches::stop);
    }

    public int count() {
        return clients.size();
    }

    /** The lab teachers, asked for token log-probabilities (the log-probability selection of paper table 5). */
    private static List<TeacherSpec> labTeachers(GatewaySettings config) {
        return config.labTeachers().stream().map(model -> {
            RequestSettings defaults = RequestSettings.defaults(model);
            RequestSettings withLogprobs = new RequestSettings(defaults.temperature(), defaults.topP(), defaults.maxTokens(),
                    defaults.tokenLimitField(), defaults.reasoningEffort(), Map.of("logprobs", true), defaults.extraHeaders());
            return new TeacherSpec(model, config.labUrl(), model, null, null, TeacherSpec.ApiKind.OPENAI, null,
                    config.labMaxConcurrency(), OptionalInt.empty(), OptionalInt.empty(), config.labTimeout(), 0, 0,
                    OptionalDouble.empty(), TeacherSpec.ResponseFormat.JSON_SCHEMA, withLogprobs, null);
        }).toList();
    }

    private static OpenAiChatApi restClient(TeacherSpec spec) {
        long timeoutMs = spec.timeout().toMillis();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(spec.baseUrl()))
                .connectTimeout(Math.min(timeoutMs, LONGEST_CONNECT_TIMEOUT_MS), TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                // one pooled connection per allowed concurrent call
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, spec.maxConcurrency())
                .register(new ExtraHeaders(spec.request().extraHeaders()))
                .build(OpenAiChatApi.class);
    }

    /** The key from the named environment variable or file (a mounted Kubernetes secret); null for keyless endpoints. */
    private static String apiKey(TeacherSpec spec) {
        if (spec.apiKeyEnv() != null) {
            String key = System.getenv(spec.apiKeyEnv());
            if (key == null || key.isBlank()) {
                throw new IllegalStateException("teacher " + spec.name() + ": environment variable " + spec.apiKeyEnv()
                        + " (its api-key-env) is not set");
            }
            return key.strip();
        }
        if (spec.apiKeyFile() != null) {
            try {
                return Files.readString(Path.of(spec.apiKeyFile())).strip();
            } catch (IOException e) {
                throw new IllegalStateException("teacher " + spec.name() + ": cannot read api-key-file " + spec.apiKeyFile(), e);
            }
        }
        return null;
    }
}
