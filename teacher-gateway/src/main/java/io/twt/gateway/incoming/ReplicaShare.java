package io.twt.gateway.incoming;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.twt.gateway.config.GatewaySettings;
import io.twt.gateway.outgoing.TeacherClient;
import io.twt.gateway.outgoing.Teachers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Divides each teacher's requests and tokens per minute among the gateway replicas: every
 * {@code twt.gateway.replica-check} it counts the members of the {@code twt.queries} consumer group and gives each
 * teacher client 1/n of its limits. The members are the replicas taking queries, so n replicas together stay
 * within the configured limits (an idle replica's share goes unused until the next count).
 */
@ApplicationScoped
public class ReplicaShare {

    private static final Logger LOG = Logger.getLogger(ReplicaShare.class);

    private final Teachers teachers;
    private final GatewaySettings config;
    private final String bootstrapServers;
    private final String group;
    private ScheduledExecutorService timer;
    private Admin admin;
    private volatile int replicas = 1;

    public ReplicaShare(Teachers teachers, GatewaySettings config,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                        @ConfigProperty(name = "mp.messaging.incoming.queries.group.id") String group) {
        this.teachers = teachers;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.group = group;
    }

    void start(@Observes StartupEvent started) {
        boolean limited = teachers.all().stream().anyMatch(t -> t.spec().requestsPerMinute().isPresent()
                || t.spec().tokensPerMinute().isPresent());
        if (!limited) {
            return;
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("replica-share").factory());
        long every = config.replicaCheck().toMillis();
        timer.scheduleWithFixedDelay(this::recount, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer != null) {
            timer.shutdownNow();
            admin.close();
        }
    }

    /** The replicas counted last: each teacher's RPM and TPM here are 1/this of the configured ones. */
    public int replicas() {
        return replicas;
    }

    void recount() {
        try {
            int members = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS).members().size();
            int now = Math.max(1, members);
            if (now != replicas) {
                LOG.infof("%d gateway replicas: each takes 1/%d of every teacher's requests and tokens per minute", now, now);
            }
            replicas = now;
            teachers.all().forEach((TeacherClient t) -> t.shareLimitsAmong(replicas));
        } catch (Exception e) {
            LOG.warnf("could not count the gateway replicas (%s); keeping 1/%d", e.getMessage(), replicas);
        }
    }
}
