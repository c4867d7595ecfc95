package io.twt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What {@code ./twt up} leaves under {@code .twt/}: the Kafka address, pid files and logs. */
public record Workspace(Path dir) {

    public static Workspace current() {
        return new Workspace(Path.of(System.getenv().getOrDefault("TWT_HOME", ".twt")));
    }

    public String kafkaBootstrap() {
        String fromEnv = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        Path file = dir.resolve("kafka.bootstrap");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return fromEnv == null ? "127.0.0.1:9092" : fromEnv;
    }

    public OptionalLong pid(String process) {
        Path file = dir.resolve("pids").resolve(process + ".pid");
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
