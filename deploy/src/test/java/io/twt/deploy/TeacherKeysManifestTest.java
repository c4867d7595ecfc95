package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Teacher keys are the user's: {@code kubectl apply -k} never writes a Secret over them, only the gateway's pod
 * sees them, and a teacher without auth (vLLM, Ollama in the cluster) needs no key at all.
 */
class TeacherKeysManifestTest {

    private static final String KEYS = "twt-teacher-keys";
    private static final Path README = Manifests.ROOT.resolve("k8s/README.md");

    @Test
    void noTargetWritesASecret() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            for (JsonNode secret : rendered.ofKind("Secret")) {
                throw new AssertionError(rendered.describe(secret) + ": apply -k would replace the user's own Secret "
                        + "(with " + secret.path("stringData").size() + secret.path("data").size() + " keys); document "
                        + "kubectl create secret instead");
            }
        }
    }

    @Test
    void onlyTheGatewayReadsTheTeacherKeysAndOnlyOptionally() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            List<JsonNode> workloads = new ArrayList<>(rendered.ofKind("Deployment"));
            workloads.addAll(rendered.ofKind("StatefulSet"));
            for (JsonNode workload : workloads) {
                boolean gateway = workload.at("/metadata/name").asText().equals("teacher-gateway");
                for (JsonNode reference : secretReferences(workload.at("/spec/template/spec"))) {
                    if (!gateway) {
                        problems.add(rendered.describe(workload) + " reads " + KEYS);
                    } else if (!reference.path("optional").asBoolean(false)) {
                        problems.add(rendered.describe(workload) + ": " + KEYS + " must be optional (keyless teachers)");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void inClusterTeachersNeedNoKey() {
        JsonNode teachers = teachersFile(Kustomize.render("base"));
        for (JsonNode teacher : teachers.path("teachers")) {
            if (teacher.path("base-url").asText().contains(".svc")) {
                assertFalse(teacher.has("api-key-env") || teacher.has("api-key-file"),
                        teacher.path("name").asText() + ": an in-cluster endpoint without auth needs no key");
            }
        }
    }

    @Test
    void readmeCreatesTheSecretWithEveryKeyTheTeachersName() throws IOException {
        assertTrue(Files.exists(README), "k8s/README.md is missing");
        String readme = Files.readString(README);
        assertTrue(readme.contains("kubectl create secret generic " + KEYS), "k8s/README.md: no kubectl create secret");
        for (JsonNode teacher : teachersFile(Kustomize.render("base")).path("teachers")) {
            if (teacher.has("api-key-env")) {
                assertTrue(readme.contains("--from-literal=" + teacher.path("api-key-env").asText() + "="),
                        "k8s/README.md does not put " + teacher.path("api-key-env").asText() + " into " + KEYS);
            }
        }
    }

    private static JsonNode teachersFile(Kustomize.Rendered rendered) {
        try {
            return Manifests.YAML.readTree(rendered.one("ConfigMap", "twt-teachers").at("/data/teachers.yaml").asText());
        } catch (IOException e) {
            throw new AssertionError("twt-teachers holds no readable teachers.yaml", e);
        }
    }

    /** envFrom secretRefs, env secretKeyRefs and secret volumes naming the teacher keys. */
    private static List<JsonNode> secretReferences(JsonNode pod) {
        List<JsonNode> references = new ArrayList<>();
        for (JsonNode container : pod.path("containers")) {
            for (JsonNode source : container.path("envFrom")) {
                if (source.at("/secretRef/name").asText().equals(KEYS)) {
                    references.add(source.path("secretRef"));
                }
            }
            for (JsonNode env : container.path("env")) {
                if (env.at("/valueFrom/secretKeyRef/name").asText().equals(KEYS)) {
                    references.add(env.at("/valueFrom/secretKeyRef"));
                }
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.at("/secret/secretName").asText().equals(KEYS)) {
                references.add(volume.path("secret"));
            }
        }
        return references;
    }
}
