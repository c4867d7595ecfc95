package io.twt.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The table of the six services, the one place each is described: its HTTP port and heap when {@code ./twt up} starts
 * it, its health path, and the settings (environment variables, each a key the service reads) the launcher gives it.
 * The status command, {@code ./twt services} and the config-key test read the same table.
 */
public enum Service {
    TEACHER_GATEWAY("teacher-gateway", 8081, "512m", launch -> Map.of(
            "TWT_TEACHERS_FILE", launch.teachersFile(),
            "TWT_GATEWAY_LAB_URL", launch.labUrl())),
    SAMPLER_SERVICE("sampler-service", 8082, "512m", launch -> Map.of(
            "KAFKA_STREAMS_STATE_DIR", launch.home().resolve("state/sampler-service").toString())),
    EMBEDDING_SERVICE("embedding-service", 8083, "1g", launch -> Map.of(
            "TWT_EMBEDDING_CACHE_DIR", launch.modelStore())),
    COMPRESSION_SERVICE("compression-service", 8084, "512m", launch -> Map.of(
            "TWT_COMPRESSION_STUDENT_MODEL_DIR", launch.studentBase())),
    TRAINER_SERVICE("trainer-service", 8085, "4g", launch -> Map.of(
            "TWT_MODEL_STORE", launch.modelStore(),
            "TWT_TRAINER_LAB_BASE_CACHE", launch.labBase().cache().toString(),
            "TWT_TRAINER_LAB_BASE_SPEC", launch.labBase().spec())),
    EVAL_SERVICE("eval-service", 8086, "3g", launch -> Map.of(
            "TWT_MODEL_STORE", launch.modelStore()));

    /** Quarkus SmallRye Health's endpoint: UP when every check (Kafka, models) passes. */
    private static final String HEALTH_PATH = "/q/health";

    private final String serviceName;
    private final int port;
    private final String heap;
    private final Function<Launch, Map<String, String>> settings;

    Service(String serviceName, int port, String heap, Function<Launch, Map<String, String>> settings) {
        this.serviceName = serviceName;
        this.port = port;
        this.heap = heap;
        this.settings = settings;
    }

    /**
     * What one {@code ./twt up} gives every service it starts.
     *
     * @param teachersFile   the gateway's teachers file; empty for the lab teachers
     * @param studentBase    the base student compression-service drafts with
     * @param extraSettings  settings beyond the table's, per service (the demo's sizes)
     */
    public record Launch(String bootstrap, Path home, String teachersFile, String labUrl, String studentBase,
                         LabBase labBase, Map<Service, Map<String, String>> extraSettings) {

        String modelStore() {
            return home.resolve("models").toString();
        }
    }

    public static Service named(String name) {
        for (Service service : values()) {
            if (service.serviceName.equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no service '" + name + "' (services: " + String.join(", ", names()) + ")");
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Service::serviceName).toList();
    }

    public String serviceName() {
        return serviceName;
    }

    public int port() {
        return port;
    }

    public String heap() {
        return heap;
    }

    public String healthPath() {
        return HEALTH_PATH;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The environment the launcher adds to its own for this service: Kafka, the port, the table's and the extra settings. */
    public Map<String, String> env(Launch launch) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", launch.bootstrap());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.putAll(settings.apply(launch));
        env.putAll(launch.extraSettings().getOrDefault(this, Map.of()));
        return env;
    }
}
