package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceConfigKeysTest {

    private static final List<String> SERVICES = List.of("teacher-gateway", "sampler-service", "embedding-service",
            "compression-service", "trainer-service", "eval-service");

    /** Variables every Quarkus service understands without declaring them. */
    private static boolean platformKey(String name) {
        return name.startsWith("QUARKUS_") || name.equals("KAFKA_BOOTSTRAP_SERVERS") || name.endsWith("_API_KEY")
                || name.startsWith("PYTORCH_");
    }

    @Test
    void configMappingKeysIncludeNestedGroups() {
        String source = """
                @ConfigMapping(prefix = "twt.trainer")
                public interface TrainerSettings {
                    String modelStore();
                    Round round();
                    interface Round {
                        int minNewQueries();
                    }
                }
                """;
        assertEquals(Set.of("twt.trainer.model-store", "twt.trainer.round.min-new-queries"),
                Set.copyOf(ServiceConfigKeys.mappingKeys(source, "twt.trainer")));
    }

    @Test
    void everyVariableKubernetesSetsOnAServiceIsAKeyOfThatService() {
        Map<String, Set<String>> known = new HashMap<>();
        SERVICES.forEach(service -> known.put(service, ServiceConfigKeys.of(service)));
        List<String> unknown = new ArrayList<>();
        for (Manifests.Document document : Manifests.kubernetes()) {
            if ((document.kind().equals("Deployment") || document.kind().equals("StatefulSet")) && known.containsKey(document.name())) {
                for (JsonNode env : document.node().at("/spec/template/spec/containers/0/env")) {
                    String name = env.path("name").asText();
                    if (!platformKey(name) && !known.get(document.name()).contains(name)) {
                        unknown.add(document.describe() + " sets " + name);
                    }
                }
            }
            if (document.kind().equals("ConfigMap") && document.name().equals("twt-config")) {
                document.node().path("data").fieldNames().forEachRemaining(name -> {
                    if (!platformKey(name) && known.values().stream().noneMatch(keys -> keys.contains(name))) {
                        unknown.add(document.describe() + " sets " + name + ", which no service reads");
                    }
                });
            }
        }
        assertTrue(unknown.isEmpty(), String.join("\n", unknown));
    }

    @Test
    void everyVariableDockerComposeSetsIsAKeyOfSomeService() {
        JsonNode compose = Manifests.read(Manifests.ROOT.resolve("docker-compose.yml")).get(0).node();
        List<String> unknown = new ArrayList<>();
        Map<String, JsonNode> blocks = new HashMap<>();
        SERVICES.forEach(service -> blocks.put(service, compose.path("services").path(service)));
        blocks.put("x-service (shared by the six)", compose.path("x-service"));
        blocks.forEach((name, block) -> {
            Set<String> keys = known(name.startsWith("x-service") ? "teacher-gateway" : name);
            block.path("environment").fieldNames().forEachRemaining(variable -> {
                // "<<" is the YAML merge of the shared block, checked on its own above
                if (!variable.equals("<<") && !platformKey(variable) && !keys.contains(variable)) {
                    unknown.add("docker-compose " + name + " sets " + variable);
                }
            });
        });
        assertTrue(unknown.isEmpty(), String.join("\n", unknown));
    }

    /** A compose service's keys; the shared environment block reaches all six, so any of them may read a key. */
    private static Set<String> known(String service) {
        if (SERVICES.contains(service)) {
            Set<String> all = new java.util.HashSet<>();
            SERVICES.forEach(s -> all.addAll(ServiceConfigKeys.of(s)));
            return all;
        }
        return Set.of();
    }
}
