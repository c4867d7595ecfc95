package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: Kafka keeps its data, every provider's key reaches the gateway, eval-service can sandbox. */
class DockerComposeTest {

    private static final Path COMPOSE = Manifests.ROOT.resolve("docker-compose.yml");
    private static final Path TEACHERS_OVERRIDE = Manifests.ROOT.resolve("docker-compose.teachers.yml");
    /** The key variables of teacher-gateway/README.md's providers (OpenAI, Azure, Mistral, vLLM, LiteLLM, any other). */
    static final List<String> PROVIDER_KEYS = List.of("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "MISTRAL_API_KEY",
            "VLLM_API_KEY", "LITELLM_API_KEY", "TEACHER_API_KEY");

    private static JsonNode compose() {
        return Manifests.read(COMPOSE).get(0).node();
    }

    @Test
    void kafkaWritesItsLogDirectoriesOnItsVolume() {
        JsonNode kafka = compose().at("/services/kafka");
        String logDirs = kafka.at("/environment/KAFKA_LOG_DIRS").asText();
        assertTrue(!logDirs.isBlank(), "KAFKA_LOG_DIRS unset: apache/kafka writes to /tmp/kafka-logs, off the volume");
        List<String> mounts = new ArrayList<>();
        kafka.path("volumes").forEach(v -> mounts.add(v.asText().split(":")[1]));
        for (String dir : logDirs.split(",")) {
            assertTrue(mounts.stream().anyMatch(m -> dir.equals(m) || dir.startsWith(m + "/")),
                    "log dir " + dir + " is not on a volume " + mounts);
        }
    }

    @Test
    void gatewayReceivesEveryProvidersKeyVariable() {
        JsonNode environment = compose().at("/services/teacher-gateway/environment");
        for (String key : PROVIDER_KEYS) {
            assertEquals("${" + key + ":-}", environment.path(key).asText(), "teacher-gateway passes " + key);
        }
        compose().path("services").properties().forEach(service -> {
            if (!service.getKey().equals("teacher-gateway")) {
                service.getValue().path("environment").fieldNames().forEachRemaining(name ->
                        assertTrue(!name.endsWith("_API_KEY"), service.getKey() + " sees the teacher key " + name));
            }
        });
    }

    @Test
    void evalServiceImageHasPythonAndBubblewrap() throws IOException {
        JsonNode build = compose().at("/services/eval-service/build");
        assertTrue(build.isObject(), "eval-service is built from a Dockerfile that adds python3 and bubblewrap");
        Path dockerfile = Manifests.ROOT.resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText());
        String text = Files.readString(dockerfile);
        assertTrue(text.matches("(?s).*apt-get install[^\\n]*python3.*") && text.contains("bubblewrap"),
                dockerfile + " installs python3 and bubblewrap");
    }

    @Test
    void dockerComposeAcceptsTheFile() throws IOException, InterruptedException {
        List<String> command = composeCommand();
        assumeTrue(command != null, "neither `docker compose` nor `docker-compose` is installed: only the YAML checks ran");
        assertComposeAccepts(command, List.of("-f", COMPOSE.toString(), "--profile", "lab"), Map.of());
        // with your own teachers: the override mounts the file that TWT_TEACHERS_FILE names
        assertComposeAccepts(command, List.of("-f", COMPOSE.toString(), "-f", TEACHERS_OVERRIDE.toString()),
                Map.of("TWT_TEACHERS_FILE", COMPOSE.toString()));
    }

    private static void assertComposeAccepts(List<String> command, List<String> files, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> config = new ArrayList<>(command);
        config.addAll(files);
        config.addAll(List.of("config", "--quiet"));
        ProcessBuilder builder = new ProcessBuilder(config).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "compose config timed out");
        assertEquals(0, process.exitValue(), String.join(" ", config) + ":\n" + output);
    }

    private static List<String> composeCommand() throws InterruptedException {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed
            }
        }
        return null;
    }
}
