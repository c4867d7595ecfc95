package io.twt.trainer.outgoing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage job's template, a file the user edits (k8s/overlays/trl/): a {@code batch/v1} Job, or a Kubeflow Trainer
 * {@code trainer.kubeflow.org/v1alpha1} TrainJob for several GPUs or nodes. The trainer fills in the placeholders
 * ${JOB_NAME}, ${STAGE_DIR}, ${ROUND} and ${STAGE}; everything else (image, GPUs, node pool, volume) is the file's.
 */
public final class JobTemplate {

    /** The kinds of job the trainer can watch, and the label by which their pods are found. */
    public enum Kind {
        JOB("batch", "v1", "Job", "jobs", "batch.kubernetes.io/job-name"),
        TRAIN_JOB("trainer.kubeflow.org", "v1alpha1", "TrainJob", "trainjobs", "jobset.sigs.k8s.io/jobset-name");

        final ResourceDefinitionContext context;
        final String podLabel;

        Kind(String group, String version, String kind, String plural, String podLabel) {
            this.context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                    .withPlural(plural).withNamespaced(true).build();
            this.podLabel = podLabel;
        }

        String apiVersion() {
            return context.getGroup() + "/" + context.getVersion();
        }

        static Kind of(String apiVersion, String kind, Path file) {
            return Arrays.stream(values()).filter(k -> k.apiVersion().equals(apiVersion) && k.context.getKind().equals(kind))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(file + " is a " + apiVersion + " " + kind
                            + "; a stage job template is a batch/v1 Job or a trainer.kubeflow.org/v1alpha1 TrainJob"));
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final Path file;
    private final String text;
    private final Kind kind;

    private JobTemplate(Path file, String text, Kind kind) {
        this.file = file;
        this.text = text;
        this.kind = kind;
    }

    /** Reads the template and checks what it is, so a wrong file fails when the trainer starts, not at the first stage. */
    public static JobTemplate read(Path file) {
        try {
            String text = Files.readString(file);
            GenericKubernetesResource sample = YAML.unmarshal(PLACEHOLDER.matcher(text).replaceAll("1"),
                    GenericKubernetesResource.class);
            return new JobTemplate(file, text, Kind.of(sample.getApiVersion(), sample.getKind(), file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stage job template " + file, e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The job with every placeholder filled in; a placeholder the trainer does not set fails with its name. */
    public GenericKubernetesResource render(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(file + " uses ${" + matcher.group(1) + "}; the trainer sets " + values.keySet());
            }
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(rendered);
        return YAML.unmarshal(rendered.toString(), GenericKubernetesResource.class);
    }
}
