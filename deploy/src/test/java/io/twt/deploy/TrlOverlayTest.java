package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * k8s/overlays/trl: trainer-service hands its stages to Kubernetes jobs. It runs the kubernetes backend with settings it
 * reads, finds the shipped templates where its setting points, and its service account may make and watch the jobs.
 */
class TrlOverlayTest {

    @Test
    void trainerRunsTheKubernetesBackendOnTheShippedTemplates() throws Exception {
        Kustomize.Rendered trl = Kustomize.render("overlays/trl");
        JsonNode pod = trl.workload("trainer-service").at("/spec/template/spec");
        Map<String, String> env = new HashMap<>();
        pod.at("/containers/0/env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        Set<String> known = ServiceConfigKeys.of("trainer-service");
        for (String name : List.of("TWT_TRAINER_BACKEND", "TWT_TRAINER_KUBERNETES_TEMPLATE", "TWT_TRAINER_DRAFTS_ENDPOINT")) {
            assertTrue(known.contains(name), "trainer-service reads no " + name);
        }
        assertEquals("kubernetes", env.get("TWT_TRAINER_BACKEND"));
        assertEquals("", pod.at("/containers/0/resources/limits").path("nvidia.com/gpu").asText(), "the jobs hold the GPUs");

        String template = env.get("TWT_TRAINER_KUBERNETES_TEMPLATE");
        JsonNode mount = null;
        for (JsonNode m : pod.at("/containers/0/volumeMounts")) {
            if (template.startsWith(m.path("mountPath").asText() + "/")) {
                mount = m;
            }
        }
        assertTrue(mount != null, template + " lies in no mounted volume");
        String volumeName = mount.path("name").asText();
        String configMap = null;
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(volumeName)) {
                configMap = volume.at("/configMap/name").asText();
            }
        }
        assertEquals("stage-job-templates", configMap);
        JsonNode data = trl.one("ConfigMap", configMap).path("data");
        for (String file : List.of("stage-job.yaml", "stage-trainjob.yaml")) {
            assertEquals(Files.readString(Manifests.ROOT.resolve("k8s/overlays/trl").resolve(file)), data.path(file).asText());
        }
        assertTrue(data.has(template.substring(template.lastIndexOf('/') + 1)), template);
    }

    @Test
    void trainerServiceAccountMayMakeWatchAndDeleteItsJobs() {
        Kustomize.Rendered trl = Kustomize.render("overlays/trl");
        String account = trl.workload("trainer-service").at("/spec/template/spec/serviceAccountName").asText();
        JsonNode binding = trl.ofKind("RoleBinding").stream()
                .filter(b -> b.path("subjects").findValuesAsText("name").contains(account)).findFirst().orElseThrow();
        JsonNode role = trl.ofKind("Role").stream()
                .filter(r -> r.at("/metadata/name").asText().equals(binding.at("/roleRef/name").asText())).findFirst().orElseThrow();
        for (String resource : List.of("jobs", "trainjobs")) {
            JsonNode rule = null;
            for (JsonNode r : role.path("rules")) {
                if (texts(r.path("resources")).contains(resource)) {
                    rule = r;
                }
            }
            assertTrue(rule != null, role + " has no rule for " + resource);
            assertTrue(texts(rule.path("verbs")).containsAll(List.of("create", "get", "list", "watch", "delete")), rule.toString());
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
