package io.twt.cli;

/** The six services of the design card with the HTTP port each listens on when {@code ./twt up} starts them. */
public enum Service {
    TEACHER_GATEWAY("teacher-gateway", 8081),
    SAMPLER_SERVICE("sampler-service", 8082),
    EMBEDDING_SERVICE("embedding-service", 8083),
    COMPRESSION_SERVICE("compression-service", 8084),
    TRAINER_SERVICE("trainer-service", 8085),
    EVAL_SERVICE("eval-service", 8086);

    private final String serviceName;
    private final int port;

    Service(String serviceName, int port) {
        this.serviceName = serviceName;
        this.port = port;
    }

    public String serviceName() {
        return serviceName;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }
}
