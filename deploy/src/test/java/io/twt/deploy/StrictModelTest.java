package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictModelTest {

    private static JsonNode yaml(String text) throws IOException {
        return Manifests.YAML.readTree(text);
    }

    @Test
    void misspeltStrimziFieldIsReportedWithItsPath() throws IOException {
        JsonNode topic = yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {topicName: t, partitions: 3, replica: 3}
                """);
        assertEquals(List.of(".spec.replica"), StrictModel.unknownFields(StrictModel.parse(topic)));
    }

    @Test
    void fieldNestedDeepInAPodTemplateIsReported() throws IOException {
        JsonNode deployment = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    spec:
                      containers:
                        - name: c
                          image: i
                          resource: {limits: {memory: 1Gi}}
                """);
        assertEquals(List.of(".spec.template.spec.containers[0].resource"),
                StrictModel.unknownFields(StrictModel.parse(deployment)));
    }

    @Test
    void validStrimziKafkaHasNoUnknownField() throws IOException {
        JsonNode kafka = yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k}
                spec:
                  kafka:
                    version: 4.2.1
                    listeners: [{name: plain, port: 9092, type: internal, tls: false}]
                    config: {min.insync.replicas: 2}
                  entityOperator: {topicOperator: {}}
                """);
        assertEquals(List.of(), StrictModel.unknownFields(StrictModel.parse(kafka)));
    }
}
