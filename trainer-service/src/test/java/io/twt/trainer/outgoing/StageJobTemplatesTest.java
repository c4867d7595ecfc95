package io.twt.trainer.outgoing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped templates, rendered as the trainer renders them, read against the schemas of the APIs they name. */
class StageJobTemplatesTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Map<String, String> VALUES = Map.of("JOB_NAME", "twt-twt-r3-s2-0a1b2c",
            "STAGE_DIR", "/models/rounds/round-3/stage-2", "ROUND", "3", "STAGE", "2");

    private static final String REPLICATED_JOB = "/spec/runtimePatches/*/trainingRuntimeSpec/template/spec/replicatedJobs/*";
    private static final String POD = REPLICATED_JOB + "/template/spec/template/spec";

    /**
     * TrainJob fields of trainer.kubeflow.org/v1alpha1 as Kubeflow Trainer v2.3.0 defines them
     * (manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml): the object paths this template uses, each with every
     * field its schema allows there. The API server prunes a field outside them without a word.
     */
    private static final Map<String, Set<String>> TRAIN_JOB_FIELDS = Map.ofEntries(
            Map.entry("/spec", Set.of("activeDeadlineSeconds", "initializer", "managedBy", "runtimePatches", "runtimeRef",
                    "suspend", "trainer")),
            Map.entry("/spec/runtimeRef", Set.of("apiGroup", "kind", "name")),
            Map.entry("/spec/trainer", Set.of("args", "command", "env", "image", "numNodes", "numProcPerNode", "resourcesPerNode")),
            Map.entry("/spec/runtimePatches/*", Set.of("manager", "time", "trainingRuntimeSpec")),
            Map.entry("/spec/runtimePatches/*/trainingRuntimeSpec", Set.of("template")),
            Map.entry("/spec/runtimePatches/*/trainingRuntimeSpec/template", Set.of("metadata", "spec")),
            Map.entry("/spec/runtimePatches/*/trainingRuntimeSpec/template/spec", Set.of("replicatedJobs")),
            Map.entry(REPLICATED_JOB, Set.of("name", "template")),
            Map.entry(REPLICATED_JOB + "/template", Set.of("metadata", "spec")),
            Map.entry(REPLICATED_JOB + "/template/spec", Set.of("template")),
            Map.entry(REPLICATED_JOB + "/template/spec/template", Set.of("metadata", "spec")),
            Map.entry(POD, Set.of("affinity", "containers", "imagePullSecrets", "initContainers", "nodeSelector", "schedulingGates",
                    "securityContext", "serviceAccountName", "terminationGracePeriodSeconds", "tolerations", "volumes")),
            Map.entry(POD + "/containers/*", Set.of("env", "name", "securityContext", "volumeMounts")));

    @TempDir
    Path tmp;

    private static GenericKubernetesResource render(String template) {
        return JobTemplate.read(KubernetesEngineTest.TEMPLATES.resolve(template)).render(VALUES);
    }

    @Test
    void jobTemplateRendersToABatchV1JobWithNoFieldOutsideItsSchema() {
        GenericKubernetesResource rendered = render("stage-job.yaml");
        Job job = JSON.unmarshal(JSON.asJson(rendered), Job.class);
        assertEquals(List.of(), unknownFields(job, ""));
        assertEquals("twt-twt-r3-s2-0a1b2c", job.getMetadata().getName());
        assertEquals(List.of("/models/rounds/round-3/stage-2"), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals("/models", job.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().get(0).getMountPath(),
                "the model store where trainer-service mounts it, so stage-job.json's paths hold in the job");
        assertFalse(JSON.asJson(rendered).contains("${"));
    }

    @Test
    void trainJobTemplateRendersToAKubeflowTrainJobWithNoFieldOutsideItsSchema() {
        GenericKubernetesResource rendered = render("stage-trainjob.yaml");
        assertEquals("trainer.kubeflow.org/v1alpha1", rendered.getApiVersion());
        JsonNode trainJob = JSON.convertValue(rendered, JsonNode.class);
        List<String> problems = new ArrayList<>();
        checkTrainJob(trainJob, "", problems);
        assertEquals(List.of(), problems);
        assertEquals("torch-distributed", trainJob.at("/spec/runtimeRef/name").asText(), "runtimeRef.name is required");
        assertTrue(trainJob.at("/spec/runtimePatches/0/manager").isTextual(), "a runtime patch needs its manager");
        assertEquals("node", trainJob.at("/spec/runtimePatches/0/trainingRuntimeSpec/template/spec/replicatedJobs/0/name").asText(),
                "torch-distributed's replicated job is named node");
        assertEquals("/models/rounds/round-3/stage-2", trainJob.at("/spec/trainer/args/0").asText());
    }

    @Test
    void placeholderTheTrainerDoesNotSetFailsWithItsName() throws Exception {
        Path template = tmp.resolve("job.yaml");
        Files.writeString(template, Files.readString(KubernetesEngineTest.TEMPLATES.resolve("stage-job.yaml"))
                .replace("${STAGE_DIR}", "${STAGE_DIRECTORY}"));
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> JobTemplate.read(template).render(VALUES));
        assertTrue(failure.getMessage().contains("${STAGE_DIRECTORY}"), failure.getMessage());
    }

    @Test
    void templateOfAnotherKindIsRefusedWhenRead() throws Exception {
        Path template = tmp.resolve("deployment.yaml");
        Files.writeString(template, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${JOB_NAME}\n");
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> JobTemplate.read(template));
        assertTrue(failure.getMessage().contains("apps/v1 Deployment"), failure.getMessage());
    }

    /** Field sets where the CRD defines the object; Kubernetes core types (volumes, env, ...) read by their models. */
    private static void checkTrainJob(JsonNode node, String path, List<String> problems) {
        String pattern = path.replaceAll("/\\d+(?=/|$)", "/*");
        Map<String, Class<? extends KubernetesResource>> coreTypes = Map.of(POD + "/volumes/*", Volume.class,
                POD + "/tolerations/*", Toleration.class, POD + "/containers/*/volumeMounts/*", VolumeMount.class,
                "/spec/trainer/env/*", EnvVar.class, "/spec/trainer/resourcesPerNode", ResourceRequirements.class);
        if (coreTypes.containsKey(pattern)) {
            unknownFields(JSON.convertValue(node, coreTypes.get(pattern)), path).forEach(problems::add);
            return;
        }
        Set<String> allowed = TRAIN_JOB_FIELDS.get(pattern);
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(field -> {
                if (allowed != null && !allowed.contains(field)) {
                    problems.add(path + "/" + field + " is not a field of the TrainJob schema there");
                }
                if (path.isEmpty() || allowed != null) {
                    checkTrainJob(node.get(field), path + "/" + field, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTrainJob(node.get(i), path + "/" + i, problems);
            }
        }
    }

    /**
     * Paths of the fields a fabric8 model kept in its additionalProperties map: the ones its schema does not define.
     */
    private static List<String> unknownFields(Object model, String path) {
        List<String> unknown = new ArrayList<>();
        if (model instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "/" + i++));
            }
            return unknown;
        }
        if (model == null || !model.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return unknown;
        }
        for (Method getter : model.getClass().getMethods()) {
            if (!getter.getName().startsWith("get") || getter.getParameterCount() > 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = getter.invoke(model);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(key -> unknown.add(path + "/" + key));
                } else {
                    unknown.addAll(unknownFields(value, path + "/" + getter.getName().substring(3)));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter.toString(), e);
            }
        }
        return unknown;
    }
}
