package io.twt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What {@code ./twt up} leaves under {@code .twt/} ({@code TWT_HOME}): the Kafka address, pid files, logs, models. */
public record Workspace(Path dir) {

    /** {@code TWT_HOME}, else the checkout's {@code .twt}. */
    static Workspace of(Checkout checkout) {
        String home = System.getenv("TWT_HOME");
        return new Workspace(home == null || home.isBlank() ? checkout.root().resolve(".twt") : Path.of(home).toAbsolutePath());
    }

    public String kafkaBootstrap() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        Path file = bootstrapFile();
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return fromEnv == null ? "127.0.0.1:9092" : fromEnv;
    }

    /** Written by the broker once it answers (or by {@code up --kafka}); removed by {@code down}. */
    Path bootstrapFile() {
        return dir.resolve("kafka.bootstrap");
    }

    /** Present when {@code up --kafka} named a broker the launcher did not start. */
    Path externalKafkaMarker() {
        return dir.resolve("kafka.external");
    }

    Path pidFile(String process) {
        return dir.resolve("pids").resolve(process + ".pid");
    }

    Path logFile(String process) {
        return dir.resolve("logs").resolve(process + ".log");
    }

    public OptionalLong pid(String process) {
        Path file = pidFile(process);
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(Files.readString(file).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
