package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KubernetesManifestTest {

    private static final Map<String, Class<?>> KINDS = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "ConfigMap", ConfigMap.class,
            "Secret", Secret.class, "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "Namespace", Namespace.class,
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class);

    private static final Set<String> SERVICES = Set.of("teacher-gateway", "sampler-service", "embedding-service",
            "compression-service", "trainer-service", "eval-service");

    @Test
    void everyManifestParsesAsItsKubernetesKind() {
        List<Manifests.Document> documents = Manifests.kubernetes();
        assertFalse(documents.isEmpty());
        for (Manifests.Document document : documents) {
            Class<?> type = KINDS.get(document.kind());
            assertTrue(type != null, "unexpected kind in " + document.describe());
            Object parsed = Serialization.unmarshal(document.node().toString(), type);
            assertInstanceOf(type, parsed, document.describe());
            assertFalse(((HasMetadata) parsed).getMetadata().getName().isBlank(), document.describe());
        }
    }

    @Test
    void kustomizationsNameOnlyFilesThatExist() {
        for (String dir : List.of("base", "overlays/lab", "overlays/gpu")) {
            var kustomization = Manifests.read(Manifests.ROOT.resolve("k8s").resolve(dir).resolve("kustomization.yaml")).get(0).node();
            for (JsonNode resource : kustomization.path("resources")) {
                assertTrue(Files.exists(Manifests.ROOT.resolve("k8s").resolve(dir).resolve(resource.asText())),
                        dir + " names missing resource " + resource.asText());
            }
        }
    }

    @Test
    void everyServiceHasADeploymentWithHealthProbesAndAService() {
        Map<String, Deployment> deployments = Manifests.kubernetes().stream().filter(d -> d.kind().equals("Deployment"))
                .map(d -> Serialization.unmarshal(d.node().toString(), Deployment.class))
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d, (a, b) -> a));
        for (String service : SERVICES) {
            Deployment deployment = deployments.get(service);
            assertTrue(deployment != null, "no Deployment for " + service);
            var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath(), service);
            assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath(), service);
            assertTrue(container.getResources().getLimits().containsKey("memory"), service + " has no memory limit");
        }
        Set<String> services = Manifests.kubernetes().stream().filter(d -> d.kind().equals("Service"))
                .map(Manifests.Document::name).collect(Collectors.toSet());
        assertTrue(services.containsAll(SERVICES), "services: " + services);
    }

    @Test
    void trainerIsPinnedToGpuNodesWithTheModelStoreOnAClaim() {
        Deployment trainer = Manifests.kubernetes().stream()
                .filter(d -> d.kind().equals("Deployment") && d.name().equals("trainer-service"))
                .map(d -> Serialization.unmarshal(d.node().toString(), Deployment.class)).findFirst().orElseThrow();
        var pod = trainer.getSpec().getTemplate().getSpec();
        assertEquals(new Quantity("1"), pod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
        assertTrue(pod.getTolerations().stream().anyMatch(t -> t.getKey().equals("nvidia.com/gpu")));
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                && v.getPersistentVolumeClaim().getClaimName().equals("twt-model-store")));
    }

    @Test
    void teacherGatewayAndEmbeddingServiceScaleHorizontally() {
        Set<String> scaled = Manifests.kubernetes().stream().filter(d -> d.kind().equals("HorizontalPodAutoscaler"))
                .map(d -> Serialization.unmarshal(d.node().toString(), HorizontalPodAutoscaler.class))
                .map(h -> h.getSpec().getScaleTargetRef().getName()).collect(Collectors.toSet());
        assertEquals(Set.of("teacher-gateway", "embedding-service"), scaled);
    }
}
