package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KubernetesManifestTest {

    private static final Set<String> SERVICES = Set.of("teacher-gateway", "sampler-service", "embedding-service",
            "compression-service", "trainer-service", "eval-service");

    @Test
    void kustomizationsNameOnlyFilesThatExist() {
        for (String target : Kustomize.targets()) {
            var dir = Manifests.ROOT.resolve("k8s").resolve(target);
            var kustomization = Manifests.read(dir.resolve("kustomization.yaml")).get(0).node();
            for (String list : List.of("resources", "components")) {
                for (JsonNode entry : kustomization.path(list)) {
                    assertTrue(Files.exists(dir.resolve(entry.asText())), target + " names missing " + entry.asText());
                }
            }
        }
    }

    @Test
    void everyServiceHasAWorkloadWithHealthProbesAndAService() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            for (String service : SERVICES) {
                JsonNode container = rendered.workload(service).at("/spec/template/spec/containers/0");
                assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText(), rendered + " " + service);
                assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText(), rendered + " " + service);
                assertTrue(container.at("/resources/limits").has("memory"), rendered + " " + service + " has no memory limit");
                rendered.one("Service", service);
            }
        }
    }

    @Test
    void trainerIsPinnedToGpuNodesWithTheModelStoreOnAClaim() {
        for (String target : List.of("base", "overlays/gpu")) {
            JsonNode pod = Kustomize.render(target).workload("trainer-service").at("/spec/template/spec");
            assertEquals("1", pod.at("/containers/0/resources/limits").path("nvidia.com/gpu").asText(), target);
            assertEquals("true", pod.at("/nodeSelector").path("nvidia.com/gpu.present").asText(), target);
            assertTrue(pod.path("tolerations").findValuesAsText("key").contains("nvidia.com/gpu"), target);
            assertTrue(pod.path("volumes").findValuesAsText("claimName").contains("twt-model-store"), target);
        }
    }

    @Test
    void teacherGatewayAndEmbeddingServiceScaleHorizontally() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            Set<String> scaled = rendered.ofKind("HorizontalPodAutoscaler").stream()
                    .map(h -> h.at("/spec/scaleTargetRef/name").asText()).collect(Collectors.toSet());
            rendered.ofKind("ScaledObject").forEach(s -> scaled.add(s.at("/spec/scaleTargetRef/name").asText()));
            assertEquals(Set.of("teacher-gateway", "embedding-service"), scaled, rendered.toString());
        }
    }
}
