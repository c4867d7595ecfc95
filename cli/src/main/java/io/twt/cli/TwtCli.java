package io.twt.cli;

import io.twt.common.EvalReport;
import io.twt.common.Topic;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The Java side of {@code ./twt}: the commands that talk to Kafka or to the services. */
public final class TwtCli {

    private TwtCli() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        Workspace workspace = Workspace.current();
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int status = switch (args[0]) {
            case "services" -> printServices();
            case "status" -> StatusCommand.run(workspace, rest.contains("--json"));
            case "push" -> {
                if (rest.isEmpty()) {
                    System.err.println("usage: twt push FILE.jsonl");
                    yield 2;
                }
                yield PushCommand.run(workspace, Path.of(rest.get(0)));
            }
            case "report" -> rest.contains("--experiment")
                    ? ExperimentCommand.report(workspace, rest.get(rest.indexOf("--experiment") + 1), rest.contains("--json"), System.out)
                    : report(workspace.kafkaBootstrap(), rest.contains("--json"), System.out);
            case "experiment" -> {
                try {
                    yield ExperimentCommand.run(workspace, ExperimentCommand.parse(rest));
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    yield 2;
                }
            }
            case "train" -> startRound();
            case "redrive" -> RedriveCommand.run(workspace, rest);
            case "demo" -> DemoCommand.run(workspace, demoOptions(workspace, rest));
            default -> {
                usage();
                yield 2;
            }
        };
        System.exit(status);
    }

    private static DemoCommand.Options demoOptions(Workspace workspace, List<String> args) {
        boolean quick = args.contains("--quick");
        int queries = quick ? 60 : 900;
        long seed = 7;
        int teachers = 3;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--queries" -> queries = Integer.parseInt(args.get(++i));
                case "--seed" -> seed = Long.parseLong(args.get(++i));
                case "--teachers-count" -> teachers = Integer.parseInt(args.get(++i));
                default -> {
                }
            }
        }
        Duration roundTimeout = Duration.ofMinutes(quick ? 8 : 25);
        return new DemoCommand.Options(queries, seed, teachers, Duration.ofMinutes(quick ? 3 : 10), roundTimeout,
                workspace.dir().resolve("report.html"), workspace.dir().resolve("results.json"));
    }

    private static int printServices() {
        for (Service service : Service.values()) {
            System.out.println(service.serviceName() + " " + service.port());
        }
        return 0;
    }

    /** The results table, or with {@code --json} the same as results rows ({@link ResultRows}). */
    static int report(String bootstrap, boolean json, PrintStream out) {
        try (KafkaView view = new KafkaView(bootstrap)) {
            List<EvalReport> reports = EvalReport.withoutExperimentBaselines(
                    view.latestByKey(Topic.EVAL_REPORTS, EvalReport.class).values());
            if (reports.isEmpty()) {
                System.err.println("no eval reports yet on " + Topic.EVAL_REPORTS.topicName());
                return 1;
            }
            out.print(json ? ResultRows.json(reports) : ResultsTable.render(reports));
            return 0;
        }
    }

    private static int startRound() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(Service.TRAINER_SERVICE.url() + "/rounds"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(response.body());
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }

    private static void usage() {
        System.err.println("usage: twt (status [--json] | push FILE.jsonl | report [--json] [--experiment ID] | experiment --recipes LIST [--snapshot now|ID] [--queries N] [--json] | train | redrive [--teacher NAME] [--since TIME] [--status FAILED|ALL_FAILED] | demo [--quick] [--queries N] [--seed S] | services)");
    }
}
