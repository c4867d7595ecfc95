package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In every target, each replication setting fits the brokers its node pools run: more replicas than brokers
 * and a topic cannot be created; a min.insync.replicas above the replicas and nothing can be written; internal
 * topics that cannot be placed and transactions and exactly-once streams hang.
 */
class ReplicationFitsBrokersTest {

    @Test
    void topicReplicasAndMinInsyncReplicasFitTheBrokers() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            int brokers = brokers(rendered);
            for (JsonNode topic : rendered.ofKind("KafkaTopic")) {
                int replicas = topic.at("/spec/replicas").asInt();
                int minInsync = topic.at("/spec/config").path("min.insync.replicas").asInt(1);
                if (replicas < 1 || replicas > brokers) {
                    problems.add(rendered.describe(topic) + ": replicas " + replicas + " with " + brokers + " broker(s)");
                }
                if (minInsync > replicas) {
                    problems.add(rendered.describe(topic) + ": min.insync.replicas " + minInsync + " > replicas " + replicas);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void kafkasInternalTopicsAndDefaultsFitTheBrokers() {
        List<String> problems = new ArrayList<>();
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            int brokers = brokers(rendered);
            JsonNode kafka = rendered.one("Kafka", "twt");
            JsonNode config = kafka.at("/spec/kafka/config");
            String at = rendered.describe(kafka) + " (" + brokers + " broker(s)): ";
            for (String factor : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                    "default.replication.factor")) {
                int value = config.path(factor).asInt(3);
                if (value > brokers) {
                    problems.add(at + factor + " " + value);
                }
            }
            int transactionIsr = config.path("transaction.state.log.min.isr").asInt(2);
            if (transactionIsr > config.path("transaction.state.log.replication.factor").asInt(3)) {
                problems.add(at + "transaction.state.log.min.isr " + transactionIsr + " above its replication factor");
            }
            int minInsync = config.path("min.insync.replicas").asInt(1);
            if (minInsync > config.path("default.replication.factor").asInt(1)) {
                problems.add(at + "min.insync.replicas " + minInsync + " above default.replication.factor");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Kafka Streams creates its changelog and repartition topics itself, with its own replication.factor. */
    @Test
    void samplersStreamsTopicsFollowTheTopicsReplication() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            String streamsFactor = environment(rendered, "sampler-service", "KAFKA_STREAMS_REPLICATION_FACTOR");
            int topicReplicas = rendered.one("KafkaTopic", "twt-teacher-outputs").at("/spec/replicas").asInt();
            assertEquals(String.valueOf(topicReplicas), streamsFactor,
                    rendered + ": sampler-service's Kafka Streams replication.factor against the topics' replicas");
        }
    }

    static int brokers(Kustomize.Rendered rendered) {
        int brokers = 0;
        for (JsonNode pool : rendered.ofKind("KafkaNodePool")) {
            for (JsonNode role : pool.at("/spec/roles")) {
                if (role.asText().equals("broker")) {
                    brokers += pool.at("/spec/replicas").asInt();
                }
            }
        }
        return brokers;
    }

    /** A variable as the service's container sees it: its env entry, else a ConfigMap it loads with envFrom. */
    static String environment(Kustomize.Rendered rendered, String service, String name) {
        JsonNode container = rendered.workload(service).at("/spec/template/spec/containers/0");
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals(name) && env.has("value")) {
                return env.path("value").asText();
            }
        }
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                JsonNode data = rendered.one("ConfigMap", source.at("/configMapRef/name").asText()).path("data");
                if (data.has(name)) {
                    return data.path(name).asText();
                }
            }
        }
        return null;
    }
}
