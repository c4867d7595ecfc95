package io.twt.gateway.config;

import io.twt.common.TaskKind;
import io.twt.gateway.domain.DoneLedger;
import io.twt.gateway.domain.Rubric;
import io.twt.gateway.domain.SpendLedger;
import io.twt.gateway.domain.TripleGeneration;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;
import java.util.EnumMap;
import java.util.Map;

/** The domain objects built from configuration, once per application (singletons: they are final, unproxied). */
public class GatewayBeans {

    /** The prompt and weights of every task kind; a kind missing from configuration stops the start. */
    @Produces
    @Singleton
    Rubrics rubrics(GatewaySettings config) {
        Map<TaskKind, Rubric> rubrics = new EnumMap<>(TaskKind.class);
        for (TaskKind kind : TaskKind.values()) {
            GatewaySettings.Task task = config.tasks().get(kind.wire());
            if (task == null) {
                throw new IllegalStateException("no prompt configured for task kind " + kind.wire()
                        + " (twt.gateway.tasks." + kind.wire() + ".system/user/weights)");
            }
            rubrics.put(kind, new Rubric(kind, task.system(), task.user(), task.weights()));
        }
        return new Rubrics(rubrics);
    }

    @Produces
    @Singleton
    DoneLedger ledger(GatewaySettings config) {
        return new DoneLedger(config.ledgerCapacity());
    }

    /** This replica's view of what every replica spent; filled from twt.teacher-spend by SpendFeed. */
    @Produces
    @Singleton
    SpendLedger spendLedger(GatewaySettings config) {
        return new SpendLedger(config.replica().orElseGet(GatewayBeans::hostAndPid));
    }

    /** Unique per process: two gateways on one host (./twt, tests) must not write the same spend keys. */
    private static String hostAndPid() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (java.net.UnknownHostException e) {
            return "gateway-" + ProcessHandle.current().pid();
        }
    }

    @Produces
    @Singleton
    TripleGeneration generation(GatewaySettings config) {
        return new TripleGeneration(config.maxReasks());
    }

    /** The rubric per task kind. */
    public record Rubrics(Map<TaskKind, Rubric> byKind) {
        public Rubric of(TaskKind kind) {
            return byKind.get(kind);
        }
    }
}
