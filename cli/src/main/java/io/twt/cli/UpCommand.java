package io.twt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./twt up}: starts the stack ({@link Stack}) and waits until every service is healthy. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Starts Kafka (unless --kafka), the lab teachers (unless --teachers) and the services; waits until"
                + " each is healthy. Logs and pid files in $TWT_HOME (default .twt).")
final class UpCommand implements Callable<Integer> {

    @ParentCommand
    Twt twt;

    @Spec
    CommandSpec spec;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "use this broker instead of starting one")
    String kafka;

    @Option(names = "--teachers", paramLabel = "FILE", defaultValue = "${env:TWT_TEACHERS_FILE}",
            description = "the gateway's teachers file (default: $TWT_TEACHERS_FILE, else the lab teachers)")
    Path teachers;

    @Option(names = "--services", paramLabel = "LIST", split = ",",
            description = "which services to start, comma-separated, or 'none' for Kafka alone (default: all six)")
    List<String> services;

    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "${env:TWT_KAFKA_PORT:-9092}",
            description = "the started broker's port, 0 for any free one (default: $TWT_KAFKA_PORT or ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--lab-port", paramLabel = "N", defaultValue = Stack.LAB_PORT,
            description = "the lab teachers' port (default: $TWT_LAB_PORT or ${DEFAULT-VALUE})")
    int labPort;

    @Option(names = "--lab-base-spec", paramLabel = "SPEC", defaultValue = "${env:TWT_LAB_BASE_SPEC:-" + LabBase.STANDARD + "}",
            description = "the lab base student: standard or smoke (default: $TWT_LAB_BASE_SPEC or ${DEFAULT-VALUE})")
    String labBaseSpec;

    @Override
    public Integer call() throws Exception {
        new Stack(twt.workspace, twt.checkout).up(options(Map.of()), System.out);
        return Twt.OK;
    }

    /** The stack's options from this command line, with settings beyond the table's (the demo's). */
    Stack.Options options(Map<Service, Map<String, String>> extraSettings) {
        Optional<Path> teachersFile = Optional.ofNullable(teachers).map(Path::toAbsolutePath);
        if (teachersFile.isPresent() && !Files.isRegularFile(teachersFile.get())) {
            throw new ParameterException(spec.commandLine(), "teachers file " + teachersFile.get() + " not found");
        }
        return new Stack.Options(Optional.ofNullable(kafka), teachersFile, kafkaPort, labPort, labBase(), selected(),
                extraSettings);
    }

    LabBase labBase() {
        return LabBase.fromEnvironment().withSpec(labBaseSpec);
    }

    private List<Service> selected() {
        if (services == null) {
            return List.of(Service.values());
        }
        if (services.equals(List.of("none"))) {
            return List.of();
        }
        try {
            List<Service> named = services.stream().map(Service::named).toList();
            return Arrays.stream(Service.values()).filter(named::contains).toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
