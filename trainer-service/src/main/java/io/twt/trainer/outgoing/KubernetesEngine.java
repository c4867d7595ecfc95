package io.twt.trainer.outgoing;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.twt.lm.stage.StageSpec;
import io.twt.trainer.student.StageEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The {@code kubernetes} backend: each stage a Job (or a Kubeflow TrainJob) made from the user's template and created
 * through the Kubernetes API, watched until its Complete or Failed condition. A name that already exists is the same
 * stage's job (names are fixed per stage), so it is attached to, never created twice. A failure comes back with the
 * job's condition and its pods' termination reasons (the job script writes its error to the termination log). Jobs
 * this trainer made are deleted a TTL after they finished (a time limit on running belongs to the template:
 * activeDeadlineSeconds).
 */
public final class KubernetesEngine implements StageEngine {

    private static final Logger LOG = Logger.getLogger(KubernetesEngine.class);
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String TRAINER = "twt-trainer-service";

    private final KubernetesClient client;
    private final String namespace;
    private final JobTemplate template;
    private final Duration ttl;
    private final Clock clock;

    public KubernetesEngine(KubernetesClient client, String namespace, JobTemplate template, Duration ttl, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.template = template;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public String backend() {
        return "kubernetes";
    }

    @Override
    public String submit(String name, StageSpec spec, Path stageDir) {
        deleteExpired();
        GenericKubernetesResource job = template.render(Map.of("JOB_NAME", name, "STAGE_DIR", stageDir.toString(),
                "ROUND", String.valueOf(spec.round()), "STAGE", String.valueOf(spec.stage())));
        job.getMetadata().setName(name);
        job.getMetadata().setNamespace(namespace);
        Map<String, String> labels = new HashMap<>(Optional.ofNullable(job.getMetadata().getLabels()).orElse(Map.of()));
        labels.put(MANAGED_BY, TRAINER);
        labels.put("twt.io/round", String.valueOf(spec.round()));
        labels.put("twt.io/stage", String.valueOf(spec.stage()));
        job.getMetadata().setLabels(labels);
        try {
            jobs().resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.infof("%s %s already exists: attaching to it", template.kind().context.getKind(), name);
        }
        return null;
    }

    @Override
    public Outcome await(String name, String handle, Path stageDir) {
        Resource<GenericKubernetesResource> resource = jobs().withName(name);
        if (resource.get() == null) {
            return Outcome.notFound();
        }
        GenericKubernetesResource ended = resource.waitUntilCondition(job -> job == null || ending(job).isPresent(),
                Long.MAX_VALUE, TimeUnit.MILLISECONDS);
        if (ended == null) {
            return Outcome.notFound();
        }
        Condition condition = ending(ended).orElseThrow();
        deleteExpired();
        if (condition.type().equals("Complete")) {
            return Outcome.succeeded();
        }
        return Outcome.failed(template.kind().context.getKind() + " " + name + ": " + condition.reason() + ": "
                + condition.message() + podTerminations(name));
    }

    /** Deletes the finished jobs this trainer made whose end lies more than the TTL back. */
    void deleteExpired() {
        Instant now = clock.instant();
        for (GenericKubernetesResource job : jobs().withLabel(MANAGED_BY, TRAINER).list().getItems()) {
            ending(job).filter(c -> c.time() != null && c.time().plus(ttl).isBefore(now)).ifPresent(c -> {
                LOG.infof("deleting %s %s, finished %s", job.getKind(), job.getMetadata().getName(), c.time());
                jobs().withName(job.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            });
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> jobs() {
        return client.genericKubernetesResources(template.kind().context).inNamespace(namespace);
    }

    private record Condition(String type, String reason, String message, Instant time) {
    }

    /** The Complete or Failed condition (both Job and TrainJob name them so), once it is true. */
    @SuppressWarnings("unchecked")
    private static Optional<Condition> ending(GenericKubernetesResource job) {
        Object status = job.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> fields) || !(fields.get("conditions") instanceof List<?> conditions)) {
            return Optional.empty();
        }
        return conditions.stream().map(c -> (Map<String, Object>) c)
                .filter(c -> "True".equals(c.get("status")) && ("Complete".equals(c.get("type")) || "Failed".equals(c.get("type"))))
                .map(c -> new Condition((String) c.get("type"), (String) c.get("reason"), (String) c.get("message"),
                        c.get("lastTransitionTime") == null ? null : Instant.parse((String) c.get("lastTransitionTime"))))
                .findFirst();
    }

    /** Each failed container of the job's pods: its reason, exit code and termination message. */
    private String podTerminations(String name) {
        List<String> lines = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace).withLabel(template.kind().podLabel, name).list().getItems()) {
            if (pod.getStatus() == null) {
                continue;
            }
            if (pod.getStatus().getReason() != null) {
                lines.add("pod " + pod.getMetadata().getName() + ": " + pod.getStatus().getReason() + ": " + pod.getStatus().getMessage());
            }
            Stream.concat(Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                    Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream())
                    .forEach(container -> terminated(container).filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
                            .ifPresent(t -> lines.add("pod " + pod.getMetadata().getName() + " container " + container.getName()
                                    + ": " + t.getReason() + " (exit code " + t.getExitCode() + ")"
                                    + (t.getMessage() == null ? "" : ": " + t.getMessage().strip()))));
        }
        return lines.isEmpty() ? "" : "\n" + String.join("\n", lines);
    }

    private static Optional<ContainerStateTerminated> terminated(ContainerStatus container) {
        if (container.getState() != null && container.getState().getTerminated() != null) {
            return Optional.of(container.getState().getTerminated());
        }
        return Optional.ofNullable(container.getLastState()).map(s -> s.getTerminated());
    }
}
