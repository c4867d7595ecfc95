package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Topic;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Scaling that cannot duplicate work: the gateway never gets more pods than {@code twt.queries} has partitions
 * (an idle consumer only adds rebalances), it scales on consumer lag where KEDA runs and on CPU otherwise, and
 * each transactional producer has an id of its own pod, so two replicas never fence each other.
 */
class ScalingManifestTest {

    private static final String GATEWAY = "teacher-gateway";
    /** The services with a transactional producer and the variable that sets its id. */
    private static final Map<String, String> TRANSACTIONAL_IDS = Map.of(
            "compression-service", "TWT_COMPRESSION_KAFKA_TRANSACTIONAL_ID",
            "trainer-service", "TWT_TRAINER_TRANSACTIONAL_ID");

    @Test
    void gatewayNeverScalesPastThePartitionsOfItsTopic() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            int partitions = partitions(rendered, Topic.QUERIES.topicName());
            for (JsonNode hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
                if (hpa.at("/spec/scaleTargetRef/name").asText().equals(GATEWAY) && hpa.at("/spec/maxReplicas").asInt() > partitions) {
                    problems.add(rendered.describe(hpa) + ": maxReplicas " + hpa.at("/spec/maxReplicas").asInt()
                            + " > " + partitions + " partitions of " + Topic.QUERIES.topicName());
                }
            }
            for (JsonNode scaled : rendered.ofKind("ScaledObject")) {
                if (scaled.at("/spec/scaleTargetRef/name").asText().equals(GATEWAY)
                        && scaled.at("/spec/maxReplicaCount").asInt(100) > partitions) {
                    problems.add(rendered.describe(scaled) + ": maxReplicaCount above " + partitions + " partitions");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void kedaOverlayScalesTheGatewayOnItsConsumerLag() throws IOException {
        Kustomize.Rendered keda = Kustomize.render("overlays/keda");
        JsonNode scaled = keda.ofKind("ScaledObject").stream()
                .filter(s -> s.at("/spec/scaleTargetRef/name").asText().equals(GATEWAY)).findFirst()
                .orElseThrow(() -> new AssertionError("overlays/keda has no ScaledObject for " + GATEWAY));
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertEquals("kafka", trigger.path("type").asText());
        JsonNode metadata = trigger.path("metadata");
        assertEquals(Topic.QUERIES.topicName(), metadata.path("topic").asText());
        assertEquals(gatewayProperty("mp.messaging.incoming.queries.group.id"), metadata.path("consumerGroup").asText(),
                "the lag KEDA reads must be the gateway's own consumer group");
        assertEquals(keda.one("ConfigMap", "twt-config").at("/data/KAFKA_BOOTSTRAP_SERVERS").asText(),
                metadata.path("bootstrapServers").asText());
        assertFalse(metadata.path("lagThreshold").asText().isBlank(), "lagThreshold");
        assertFalse(metadata.path("allowIdleConsumers").asText().equals("true"), "idle consumers would only rebalance");
        // KEDA owns the gateway's HPA there; a second HPA on the same Deployment would fight it
        assertTrue(keda.ofKind("HorizontalPodAutoscaler").stream()
                .noneMatch(h -> h.at("/spec/scaleTargetRef/name").asText().equals(GATEWAY)), "two autoscalers on " + GATEWAY);
    }

    @Test
    void gatewayScalesOnCpuWhereKedaIsNot() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            if (rendered.ofKind("ScaledObject").isEmpty()) {
                assertTrue(rendered.ofKind("HorizontalPodAutoscaler").stream()
                        .anyMatch(h -> h.at("/spec/scaleTargetRef/name").asText().equals(GATEWAY)
                                && h.at("/spec/metrics/0/resource/name").asText().equals("cpu")), rendered + ": CPU HPA");
            }
        }
    }

    @Test
    void everyTransactionalIdIsTheStablePodName() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            TRANSACTIONAL_IDS.forEach((service, variable) -> {
                JsonNode workload = rendered.workload(service);
                if (!workload.path("kind").asText().equals("StatefulSet")) {
                    problems.add(rendered.describe(workload) + ": a Deployment's pod names change with every pod, so a "
                            + "restarted pod cannot fence its predecessor by id; run it as a StatefulSet");
                }
                JsonNode env = null;
                for (JsonNode entry : workload.at("/spec/template/spec/containers/0/env")) {
                    if (entry.path("name").asText().equals(variable)) {
                        env = entry;
                    }
                }
                if (env == null || !env.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
                    problems.add(rendered.describe(workload) + ": " + variable + " must come from the pod name (fieldRef "
                            + "metadata.name), or every replica shares one id and fences the others");
                }
            });
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    static int partitions(Kustomize.Rendered rendered, String topicName) {
        return rendered.ofKind("KafkaTopic").stream().filter(t -> t.at("/spec/topicName").asText().equals(topicName))
                .findFirst().orElseThrow().at("/spec/partitions").asInt();
    }

    private static String gatewayProperty(String key) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Manifests.ROOT.resolve("teacher-gateway/src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties.getProperty(key);
    }
}
