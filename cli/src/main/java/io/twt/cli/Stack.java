package io.twt.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack on one machine without Docker: a single-node KRaft broker (unless one is given), the lab teachers (unless
 * a teachers file names real ones) and the services of {@link Service}'s table, each a detached process
 * ({@link DetachedProcesses}); {@link #down} stops what {@link #up} started, by pid.
 */
record Stack(Workspace workspace, Checkout checkout) {

    static final String KAFKA = "kafka";
    static final String LAB_TEACHERS = "lab-teachers";
    /** The lab teachers' port, as a picocli default: {@code TWT_LAB_PORT}, else 8090. */
    static final String LAB_PORT = "${env:TWT_LAB_PORT:-8090}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param kafka         a broker to use instead of starting one
     * @param teachersFile  the gateway's teachers; empty for the lab teachers
     * @param kafkaPort     the started broker's port (0: any free one)
     * @param services      which services to start, in the table's order
     * @param extraSettings settings beyond the table's, per service (the demo's sizes)
     */
    record Options(Optional<String> kafka, Optional<Path> teachersFile, int kafkaPort, int labPort, LabBase labBase,
                   List<Service> services, Map<Service, Map<String, String>> extraSettings) {
    }

    /** Starts what {@code options} name; returns the part of that time spent making or finding the lab base student. */
    Duration up(Options options, PrintStream out) throws IOException, InterruptedException {
        DetachedProcesses processes = new DetachedProcesses(workspace, checkout);
        Files.createDirectories(workspace.dir().resolve("models"));
        if (options.services().contains(Service.EVAL_SERVICE)) {
            CodeSandbox.check(checkout);
        }
        boolean labTeachers = options.teachersFile().isEmpty() && options.services().contains(Service.TEACHER_GATEWAY);
        checkout.ensureBuilt(List.of("kafka-local", "lab"), options.services());
        long baseStarted = System.nanoTime();
        String studentBase = studentBase(options);
        Duration baseTime = Duration.ofNanos(System.nanoTime() - baseStarted);
        startKafka(processes, options);
        String bootstrap = workspace.kafkaBootstrap();
        String labUrl = "http://127.0.0.1:" + options.labPort() + "/v1";
        if (labTeachers) {
            processes.start(LAB_TEACHERS, List.of(checkout.java(), "-Xmx512m", "-cp", checkout.classpath("lab"),
                    "io.twt.lab.teacher.LabTeacherServer", "--port", String.valueOf(options.labPort())), Map.of());
            processes.await(LAB_TEACHERS, Duration.ofSeconds(60), () -> answers(labUrl + "/models"));
        }
        Service.Launch launch = new Service.Launch(bootstrap, workspace.dir(),
                options.teachersFile().map(Path::toString).orElse(""), labUrl, studentBase, options.labBase(),
                options.extraSettings());
        for (Service service : options.services()) {
            processes.start(service.serviceName(), List.of(checkout.java(), "-Xmx" + service.heap(),
                    "-Dai.djl.offline=true", "-jar", checkout.serviceJar(service).toString()), service.env(launch));
        }
        for (Service service : options.services()) {
            processes.await(service.serviceName(), Duration.ofSeconds(180), () -> Health.of(service).equals("UP"));
        }
        out.printf("%-20s %s%n", KAFKA, bootstrap);
        if (labTeachers) {
            out.printf("%-20s %s%n", LAB_TEACHERS, labUrl);
        }
        for (Service service : options.services()) {
            out.printf("%-20s %s  (pid %d)%n", service.serviceName(), service.url(),
                    workspace.pid(service.serviceName()).orElse(-1));
        }
        out.println("logs in " + workspace.dir().resolve("logs") + "; ./twt status; ./twt down");
        return baseTime;
    }

    void down(PrintStream out) throws IOException {
        DetachedProcesses processes = new DetachedProcesses(workspace, checkout);
        for (Service service : Service.values()) {
            processes.stop(service.serviceName(), out);
        }
        processes.stop(LAB_TEACHERS, out);
        processes.stop(KAFKA, out);
        Files.deleteIfExists(workspace.bootstrapFile());
        Files.deleteIfExists(workspace.externalKafkaMarker());
    }

    /** A configured base model ({@code TWT_TRAINER_BASE_MODEL}), else the lab's, made now where a service needs it. */
    private String studentBase(Options options) throws IOException, InterruptedException {
        String configured = System.getenv("TWT_TRAINER_BASE_MODEL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        boolean needed = options.services().contains(Service.COMPRESSION_SERVICE)
                || options.services().contains(Service.TRAINER_SERVICE);
        return needed ? options.labBase().ensure(checkout).toString() : "";
    }

    private void startKafka(DetachedProcesses processes, Options options) throws IOException, InterruptedException {
        if (options.kafka().isPresent()) {
            Files.writeString(workspace.bootstrapFile(), options.kafka().get());
            Files.writeString(workspace.externalKafkaMarker(), "");
            return;
        }
        Files.deleteIfExists(workspace.externalKafkaMarker());
        if (!processes.running(KAFKA)) {
            Files.deleteIfExists(workspace.bootstrapFile());
            processes.start(KAFKA, List.of(checkout.java(), "-Xmx1g", "-cp", checkout.classpath("kafka-local"),
                    "io.twt.kafka.LocalKafkaMain", "--port", String.valueOf(options.kafkaPort()),
                    "--data-dir", workspace.dir().resolve("kafka").toString(),
                    "--bootstrap-file", workspace.bootstrapFile().toString()), Map.of());
        }
        processes.await(KAFKA, Duration.ofSeconds(90), () -> nonEmpty(workspace.bootstrapFile()));
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
