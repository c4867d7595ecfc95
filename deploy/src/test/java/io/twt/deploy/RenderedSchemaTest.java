package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@code kubectl apply -k} would send, for every target, read against the schemas of the API it names. */
class RenderedSchemaTest {

    /** The operator k8s/README.md installs, and the Kafka versions it runs (its kafka-versions.yaml, "supported"). */
    static final String STRIMZI = "1.2.0";
    static final Set<String> STRIMZI_KAFKA_VERSIONS = Set.of("4.2.0", "4.2.1", "4.3.0", "4.3.1");

    /**
     * KEDA has no Java model on Maven Central: the ScaledObject fields of keda.sh/v1alpha1 and the kafka trigger's
     * metadata keys, as keda.sh/docs/2.x (concepts/scaling-deployments, scalers/apache-kafka) define them.
     */
    private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced",
            "triggers");
    private static final Set<String> SCALE_TARGET_REF = Set.of("apiVersion", "kind", "name", "envSourceContainerName");
    private static final Set<String> TRIGGER = Set.of("type", "name", "metadata", "authenticationRef", "metricType",
            "useCachedMetrics");
    private static final Set<String> KAFKA_TRIGGER_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold", "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset", "excludePersistentLag", "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions", "partitionLimitation", "version", "sasl", "tls");

    @Test
    void everyRenderedResourceHasAModelOfItsApiVersionAndNoFieldOutsideItsSchema() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            for (JsonNode document : rendered.documents()) {
                if (StrictModel.typeKey(document).equals("keda.sh/v1alpha1/ScaledObject")) {
                    problems.addAll(scaledObjectProblems(rendered, document));
                } else if (!StrictModel.TYPES.containsKey(StrictModel.typeKey(document))) {
                    problems.add(rendered.describe(document) + ": apiVersion " + document.path("apiVersion").asText()
                            + " is not one this project validates (Strimzi " + STRIMZI + " serves kafka.strimzi.io/v1 only)");
                } else {
                    StrictModel.unknownFields(StrictModel.parse(document))
                            .forEach(field -> problems.add(rendered.describe(document) + ": unknown field " + field));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void kafkaRunsAVersionTheOperatorSupports() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            for (JsonNode kafka : rendered.ofKind(Kafka.RESOURCE_KIND)) {
                String version = kafka.at("/spec/kafka/version").asText();
                assertTrue(STRIMZI_KAFKA_VERSIONS.contains(version), rendered.describe(kafka) + ": Kafka " + version
                        + " is not supported by Strimzi " + STRIMZI + " (" + STRIMZI_KAFKA_VERSIONS + ")");
                String metadata = kafka.at("/spec/kafka/metadataVersion").asText();
                assertTrue(metadata.isEmpty() || version.startsWith(metadata.substring(0, metadata.indexOf('-'))),
                        rendered.describe(kafka) + ": metadataVersion " + metadata + " does not belong to Kafka " + version);
            }
        }
    }

    @Test
    void kustomizeRendersEveryTargetIntoOneNamespace() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            for (JsonNode document : rendered.documents()) {
                if (!document.path("kind").asText().equals("Namespace")) {
                    assertEquals("twt", document.at("/metadata/namespace").asText(), rendered.describe(document));
                }
            }
        }
    }

    private static List<String> scaledObjectProblems(Kustomize.Rendered rendered, JsonNode scaledObject) {
        List<String> problems = new ArrayList<>();
        String at = rendered.describe(scaledObject);
        unknown(scaledObject.path("spec"), SCALED_OBJECT_SPEC, at + ": spec.", problems);
        unknown(scaledObject.at("/spec/scaleTargetRef"), SCALE_TARGET_REF, at + ": spec.scaleTargetRef.", problems);
        for (JsonNode trigger : scaledObject.at("/spec/triggers")) {
            unknown(trigger, TRIGGER, at + ": trigger.", problems);
            if (trigger.path("type").asText().equals("kafka")) {
                unknown(trigger.path("metadata"), KAFKA_TRIGGER_METADATA, at + ": kafka trigger metadata.", problems);
                // the trigger's metadata is map[string]string: a bare number or boolean is refused by the API server
                trigger.path("metadata").properties().forEach(entry -> {
                    if (!entry.getValue().isTextual()) {
                        problems.add(at + ": kafka trigger metadata." + entry.getKey() + " must be a string");
                    }
                });
            }
        }
        return problems;
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(prefix + name + " is not a field of the schema");
            }
        });
    }
}
