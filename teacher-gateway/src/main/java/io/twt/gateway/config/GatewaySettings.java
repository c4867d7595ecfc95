package io.twt.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** teacher-gateway's own settings, {@code twt.gateway.*} (env {@code TWT_GATEWAY_*}); see the README table. */
@ConfigMapping(prefix = "twt.gateway")
public interface GatewaySettings {

    /** The teachers YAML file; application.properties maps {@code TWT_TEACHERS_FILE} onto it. */
    Optional<Path> teachersFile();

    /**
     * This replica's name in the spend ledger (twt.teacher-spend keys); default the pod name ($HOSTNAME), else
     * host and pid. A replica that restarts under the same name adds to its own entries.
     */
    Optional<String> replica();

    /** How often this replica's spend is written to twt.teacher-spend. */
    @WithDefault("1s")
    Duration spendFlush();

    /** How often the replicas of the consumer group are counted, to give each its share of RPM and TPM. */
    @WithDefault("15s")
    Duration replicaCheck();

    /** How often the teachers file is checked for changes; a changed {@code budget-usd} applies at once. */
    @WithDefault("5s")
    Duration teachersFileCheck();

    /** Without a teachers file: the lab teachers' OpenAI-compatible root. */
    @WithDefault("http://127.0.0.1:8090/v1")
    String labUrl();

    @WithDefault("lab-terse,lab-stepwise,lab-narrative")
    List<String> labTeachers();

    @WithDefault("16")
    int labMaxConcurrency();

    @WithDefault("30s")
    Duration labTimeout();

    Retry retry();

    Breaker breaker();

    /** How often an unreadable reply is answered with a re-ask before the record becomes UNPARSEABLE. */
    @WithDefault("2")
    int maxReasks();

    @WithDefault("1024")
    int maxTokens();

    @WithDefault("0")
    double temperature();

    /** Prompt templates and confidence weights per task kind (code, mcq, math). */
    Map<String, Task> tasks();

    /**
     * Queries processed at once, each on its own virtual thread (application.properties hands it to
     * {@code smallrye.messaging.worker.<virtual-thread>.max-concurrency}); keep it above the largest
     * teacher max-concurrency so no teacher waits for work.
     */
    @WithDefault("64")
    int maxQueriesInFlight();

    /** (query, teacher) pairs remembered as done, against redelivery. */
    @WithDefault("100000")
    int ledgerCapacity();

    /** After a restart, outputs are read back from this long before the first unacknowledged query. */
    @WithDefault("5m")
    Duration ledgerLookback();

    /**
     * How long a rebalance that takes partitions away waits for their queries in flight to write their outputs,
     * so the next owner skips them. Below the queries channel's max.poll.interval.ms (the rebalance timeout)
     * and the pod's termination grace period; a query still running after it may be asked again elsewhere.
     */
    @WithDefault("4m")
    Duration revocationDrain();

    interface Retry {
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("500ms")
        Duration backoffBase();

        @WithDefault("30s")
        Duration backoffMax();
    }

    interface Breaker {
        /** Failures in a row that open a teacher's breaker. */
        @WithDefault("5")
        int failures();

        @WithDefault("30s")
        Duration openFor();
    }

    interface Task {
        String system();

        String user();

        Map<String, Double> weights();
    }
}
