package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.cli.DemoSizes;
import io.twt.cli.LabBase;
import io.twt.cli.Service;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceConfigKeysTest {

    private static final List<String> SERVICES = Arrays.stream(Service.values()).map(Service::serviceName).toList();

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

    /** The launcher's table (./twt up, the demo's sizes included): each service gets only keys it reads. */
    @Test
    void everySettingTheLauncherGivesAServiceIsAKeyOfThatService() {
        Service.Launch demo = new Service.Launch("127.0.0.1:9092", Path.of("/tmp/twt"), "", "http://127.0.0.1:8090/v1",
                "/base", new LabBase(Path.of("/cache"), "smoke"), DemoSizes.quick().settings(OptionalLong.of(11)));
        List<String> unknown = new ArrayList<>();
        for (Service service : Service.values()) {
            Set<String> keys = ServiceConfigKeys.of(service.serviceName());
            service.env(demo).keySet().stream().filter(name -> !platformKey(name) && !keys.contains(name))
                    .forEach(name -> unknown.add("./twt up gives " + service.serviceName() + " " + name));
        }
        assertTrue(unknown.isEmpty(), String.join("\n", unknown));
        // the names the bash launcher once set, which no key matched
        Set<String> trainer = ServiceConfigKeys.of("trainer-service");
        assertTrue(trainer.contains("TWT_TRAINER_TRAINING_EPOCHS") && !trainer.contains("TWT_TRAINER_EPOCHS"));
        assertTrue(trainer.contains("TWT_TRAINER_ROUND_MIN_NEW_QUERIES") && !trainer.contains("TWT_TRAINER_MIN_NEW_SAMPLES"));
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

    /** Ports live in the launcher's table; a service run on its own and docker-compose's host ports agree with it. */
    @Test
    void eachServiceListensWhereTheLauncherAndComposeLook() throws IOException {
        JsonNode compose = Manifests.read(Manifests.ROOT.resolve("docker-compose.yml")).get(0).node();
        for (Service service : Service.values()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(
                    Manifests.ROOT.resolve(service.serviceName()).resolve("src/main/resources/application.properties"))) {
                properties.load(reader);
            }
            assertEquals(String.valueOf(service.port()), properties.getProperty("quarkus.http.port"), service.serviceName());
            String published = compose.path("services").path(service.serviceName()).path("ports").path(0).asText();
            assertEquals(service.port() + ":8080", published, service.serviceName() + " in docker-compose.yml");
        }
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
