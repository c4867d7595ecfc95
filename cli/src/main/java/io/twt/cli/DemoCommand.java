package io.twt.cli;

import io.twt.common.EvalReport;
import io.twt.common.ModelVersion;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./twt demo}: starts the stack in its own workspace ({@code .twt/demo}) with the demo's sizes
 * ({@link DemoSizes}), stopping everything it started at the end; then pushes lab queries of all three
 * kinds, waits for DCRS to decide each one, runs one round of the paper's three stages, waits for every
 * evaluation (stages, vanilla student, chance, teachers), prints the paper's Table 2 and writes the HTML
 * report and the results rows ({@link ResultRows}) beside it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole pipeline once, end to end, in its own workspace (.twt/demo): starts the stack, distils"
                + " lab queries through one round of three stages, prints the paper's Table 2, stops the stack.")
final class DemoCommand implements Callable<Integer> {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final int STAGES = 3;
    private static final int LAB_TEACHERS = 3;
    private static final long DEFAULT_SEED = 7;
    private static final Pattern TEACHER_ENTRY = Pattern.compile("\\s*-\\s*name:");

    /** @param started when the demo's clock started, moved on by the time the lab base student took */
    record Options(int queries, long seed, int teachers, Duration decisionTimeout, Duration roundTimeout, Path report,
                   Path results, long started) {
    }

    @ParentCommand
    Twt twt;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "the smoke sizes: about 5 minutes on 2 cores instead of 20")
    boolean quick;

    @Option(names = "--queries", paramLabel = "N", description = "lab training queries, 8 parts math, 2 code, 1 mcq"
            + " (default: 60 with --quick, else 1650)")
    Integer queries;

    @Option(names = "--seed", paramLabel = "S", description = "the lab queries' and the training's seed (default: 7 and"
            + " the trainer's own)")
    Long seed;

    @Option(names = "--teachers", paramLabel = "FILE", description = "the gateway's teachers file instead of the lab teachers")
    Path teachers;

    @Option(names = "--lab-port", paramLabel = "N", defaultValue = Stack.LAB_PORT,
            description = "the lab teachers' port (default: $TWT_LAB_PORT or 8090)")
    int labPort;

    @Override
    public Integer call() throws Exception {
        DemoSizes sizes = quick ? DemoSizes.quick() : DemoSizes.full();
        if (queries != null) {
            sizes = sizes.withQueries(queries);
        }
        Optional<Path> teachersFile = Optional.ofNullable(teachers).map(Path::toAbsolutePath);
        if (teachersFile.isPresent() && !Files.isRegularFile(teachersFile.get())) {
            throw new ParameterException(spec.commandLine(), "teachers file " + teachersFile.get() + " not found");
        }
        for (int port : Stream.concat(Arrays.stream(Service.values()).map(Service::port), Stream.of(labPort)).toList()) {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " is in use: stop the running stack first (./twt down)");
            }
        }
        Workspace workspace = new Workspace(twt.checkout.root().resolve(".twt/demo"));
        deleteRecursively(workspace.dir());
        Stack stack = new Stack(workspace, twt.checkout);
        // like bash's trap EXIT: the stack goes down however this program ends, Ctrl-C included
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.down(new PrintStream(OutputStream.nullOutputStream()));
            } catch (IOException e) {
                Console.log("stopping the demo's stack: " + e.getMessage());
            }
        }));
        LabBase labBase = sizes.labBaseSpec().map(LabBase.fromEnvironment()::withSpec).orElse(LabBase.fromEnvironment());
        long started = System.nanoTime();
        // the lab base student is made once and cached: its time has its own line and stays off the demo's clock
        Duration labBaseTime = stack.up(new Stack.Options(Optional.empty(), teachersFile, 0, labPort, labBase,
                List.of(Service.values()), sizes.settings(seed == null ? OptionalLong.empty() : OptionalLong.of(seed))),
                System.out);
        int teacherCount = teachersFile.isEmpty() ? LAB_TEACHERS : teachersIn(teachersFile.get());
        return run(workspace, new Options(sizes.queries(), seed == null ? DEFAULT_SEED : seed, teacherCount,
                sizes.decisionTimeout(), sizes.roundTimeout(), workspace.dir().resolve("report.html"),
                workspace.dir().resolve("results.json"), started + labBaseTime.toNanos()));
    }

    /** The teachers a teachers file lists: its {@code - name:} lines. */
    private static int teachersIn(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return (int) lines.filter(line -> TEACHER_ENTRY.matcher(line).lookingAt()).count();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    static int run(Workspace workspace, Options options) throws Exception {
        String bootstrap = workspace.kafkaBootstrap();
        List<Query> training = LabQueryMix.DEMO.draw(options.queries(), options.seed());
        // the teachers' rows come from their answers to the students' eval queries, which never enter G
        List<Query> eval = evalQueries();
        List<Query> queries = new ArrayList<>(training);
        queries.addAll(eval);
        PushCommand.send(bootstrap, queries);
        System.out.printf("pushed %d lab queries (%d math, %d mcq, %d code) and eval-service's %d eval queries to %s%n",
                training.size(), count(training, TaskKind.MATH), count(training, TaskKind.MCQ),
                count(training, TaskKind.CODE), eval.size(), Topic.QUERIES.topicName());
        Set<TaskKind> notRun = sandboxRefusesCode() ? Set.of(TaskKind.CODE) : Set.of();
        if (!notRun.isEmpty()) {
            System.out.println("code: not run: no sandbox (eval-service refuses code tasks; see ./twt logs eval-service)");
        }
        try (KafkaView view = new KafkaView(bootstrap); LiveLines live = new LiveLines(System.out);
             TopicTally tally = new TopicTally(bootstrap, PipelineProgress.TOPICS)) {
            awaitProgress(tally, live, queries.size(), options, options.decisionTimeout(), "DCRS decisions",
                    PipelineProgress::allDecided);
            System.out.println("starting a round: " + post(Service.TRAINER_SERVICE.url() + "/rounds"));
            awaitProgress(tally, live, queries.size(), options, options.roundTimeout(), "three stages and their evaluation",
                    p -> p.modelVersions() >= STAGES && roundEvaluated(view, options.teachers(), notRun.size()));
        }
        try (KafkaView view = new KafkaView(bootstrap)) {
            Collection<EvalReport> reports = EvalReport.withoutExperimentBaselines(
                    view.latestByKey(Topic.EVAL_REPORTS, EvalReport.class).values());
            System.out.println();
            System.out.print(ResultsTable.render(reports, notRun));
            writeReport(options.report());
            Files.createDirectories(options.results().toAbsolutePath().getParent());
            Files.writeString(options.results(), ResultRows.json(reports));
            int round = latestRound(view);
            Map<Integer, Double> tokens = ResultsTable.studentTokensByStage(reports, round);
            System.out.printf("%nmean output tokens by stage (round %d): %s%n", round, tokens);
            System.out.printf("HTML report: %s   results rows: %s   (live dashboard: %s/)%n", options.report(),
                    options.results(), Service.EVAL_SERVICE.url());
            System.out.printf("demo finished in %.0f s (from starting the stack; the lab base student apart)%n",
                    (System.nanoTime() - options.started()) / 1e9);
            if (!fallingFromFirstToLastStage(tokens)) {
                System.out.println("FAILED: mean output tokens did not fall from stage 1 to stage " + STAGES);
                return 1;
            }
            return 0;
        }
    }

    static boolean fallingFromFirstToLastStage(Map<Integer, Double> tokensByStage) {
        Double first = tokensByStage.get(1);
        Double last = tokensByStage.get(STAGES);
        return first != null && last != null && last < first;
    }

    static long count(List<Query> queries, TaskKind kind) {
        return queries.stream().filter(q -> q.task() == kind).count();
    }

    private static void awaitProgress(TopicTally tally, LiveLines live, int queries, Options options, Duration timeout,
                                      String what, Predicate<PipelineProgress> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            tally.refresh();
            PipelineProgress progress = PipelineProgress.from(tally, queries, options.teachers(), trainerLine());
            live.show(progress.lines());
            if (done.test(progress)) {
                live.keep();
                return;
            }
            if (System.nanoTime() > deadline) {
                live.keep();
                throw new IllegalStateException("no " + what + " within " + timeout.toSeconds() + "s; see ./twt logs SERVICE");
            }
            Thread.sleep(1000);
        }
    }

    /**
     * The latest round has all three stages, each stage every task scored, and the baselines (chance too) are scored.
     *
     * @param notRun task kinds eval-service does not score (code, without a sandbox)
     */
    private static boolean roundEvaluated(KafkaView view, int teachers, int notRun) {
        Map<String, ModelVersion> versions = view.latestByKey(Topic.MODEL_VERSIONS, ModelVersion.class);
        if (versions.isEmpty()) {
            return false;
        }
        int round = versions.values().stream().mapToInt(ModelVersion::round).max().orElseThrow();
        if (versions.values().stream().filter(v -> v.round() == round).count() < STAGES) {
            return false;
        }
        Collection<EvalReport> reports = EvalReport.withoutExperimentBaselines(
                view.latestByKey(Topic.EVAL_REPORTS, EvalReport.class).values());
        Map<ResultRows.Kind, Long> cells = reports.stream().filter(r -> ResultRows.kindOf(r) != ResultRows.Kind.STUDENT
                || r.round() == round).collect(Collectors.groupingBy(ResultRows::kindOf, Collectors.counting()));
        int tasks = TaskKind.values().length - notRun;
        return cells.getOrDefault(ResultRows.Kind.STUDENT, 0L) >= (long) STAGES * tasks
                && cells.getOrDefault(ResultRows.Kind.VANILLA, 0L) >= tasks
                && cells.getOrDefault(ResultRows.Kind.CHANCE, 0L) >= tasks
                && cells.getOrDefault(ResultRows.Kind.TEACHER, 0L) >= (long) teachers * tasks;
    }

    private static int latestRound(KafkaView view) {
        return view.latestByKey(Topic.MODEL_VERSIONS, ModelVersion.class).values().stream()
                .mapToInt(ModelVersion::round).max().orElse(0);
    }

    /** eval-service's eval queries (purpose eval), for the teachers to answer; the same ones the students are scored on. */
    static List<Query> evalQueries() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(Service.EVAL_SERVICE.url()
                + "/eval-queries")).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("eval-service /eval-queries answered " + response.statusCode());
        }
        return response.body().lines().filter(line -> !line.isBlank()).map(QUERIES::decode).toList();
    }

    /** Whether eval-service refuses code tasks (no sandbox here): its code rows are then shown as not run. */
    static boolean sandboxRefusesCode() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(Service.EVAL_SERVICE.url()
                + "/report.json")).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200
                && "NONE".equals(io.twt.common.Json.MAPPER.readTree(response.body()).path("sandboxIsolation").asText());
    }

    /** The trainer's own account of what it is doing, as one line; empty when it cannot say. */
    private static String trainerLine() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(Service.TRAINER_SERVICE.url() + "/rounds/progress")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip().replaceAll("\\s+", " ") : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static String post(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().strip();
    }

    private static void writeReport(Path report) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(Service.EVAL_SERVICE.url() + "/"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("eval-service dashboard answered " + response.statusCode());
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, response.body());
    }

    /** Redraws a block of lines in place on a terminal; elsewhere prints the block when it changed, at most every 10 s. */
    static final class LiveLines implements AutoCloseable {
        private final PrintStream out;
        private final boolean terminal = System.console() != null;
        private String[] shown = new String[0];
        private long lastPrinted;

        LiveLines(PrintStream out) {
            this.out = out;
        }

        void show(String[] lines) {
            if (terminal) {
                if (shown.length > 0) {
                    out.print("\033[" + shown.length + "F");
                }
                for (String line : lines) {
                    out.print("\033[2K" + line + "\n");
                }
                shown = lines;
            } else if (!java.util.Arrays.equals(lines, shown) && System.nanoTime() - lastPrinted > 10_000_000_000L) {
                out.println(String.join("\n", lines));
                out.println();
                shown = lines;
                lastPrinted = System.nanoTime();
            }
        }

        /** Leaves the current block on screen; the next block starts below it. */
        void keep() {
            if (!terminal && shown.length > 0) {
                out.println(String.join("\n", shown));
            }
            shown = new String[0];
            lastPrinted = 0;
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
