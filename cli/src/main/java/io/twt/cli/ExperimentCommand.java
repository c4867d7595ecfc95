package io.twt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./twt experiment}: on a running stack, optionally pushes lab queries (and eval-service's eval queries, for the
 * teachers' rows) and waits until DCRS has decided them, then starts an experiment on trainer-service, waits until
 * every recipe's stages are trained and evaluated, and prints the paper's Tables 1 and 2 (or, with {@code --json}, the
 * results rows). {@code ./twt report --experiment ID} prints the same for an experiment that ran before.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Every recipe on one pool, side by side: pushes lab queries (with --queries), trains and evaluates"
                + " each recipe, prints the paper's Tables 1 and 2.")
final class ExperimentCommand implements Callable<Integer> {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * @param rationaleWeight step-by-step's lambda; null for trainer-service's default, the paper's 1
     * @param evalLimit       every row scored on the first N eval queries per task kind; null for the whole split
     */
    record Options(List<String> recipes, String snapshot, Integer queries, long seed, String teacher, String compressor,
                   Double threshold, Double rationaleWeight, Integer evalLimit, Duration timeout, boolean json) {
    }

    @ParentCommand
    Twt twt;

    @Option(names = "--recipes", paramLabel = "LIST", required = true, split = ",",
            description = "the recipes to train side by side, comma-separated (trainer-service/README.md)")
    List<String> recipes;

    @Option(names = "--snapshot", paramLabel = "now|ID", defaultValue = "now",
            description = "the pool: now, or an earlier experiment's snapshot (default: ${DEFAULT-VALUE})")
    String snapshot;

    @Option(names = "--queries", paramLabel = "N", description = "push N lab queries first and wait for their decisions")
    Integer queries;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "7", description = "the lab queries' seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--teacher", paramLabel = "NAME", description = "one teacher's outputs only")
    String teacher;

    @Option(names = "--compressor", paramLabel = "NAME", description = "the compressing teacher")
    String compressor;

    @Option(names = "--threshold", paramLabel = "S", description = "the DCRS threshold for this experiment")
    Double threshold;

    @Option(names = "--rationale-weight", paramLabel = "L", description = "step-by-step's lambda (default: the paper's 1)")
    Double rationaleWeight;

    @Option(names = "--eval-limit", paramLabel = "N", description = "score every row on the first N eval queries per task kind")
    Integer evalLimit;

    @Option(names = "--timeout-minutes", paramLabel = "M", defaultValue = "180", description = "(default: ${DEFAULT-VALUE})")
    long timeoutMinutes;

    @Option(names = "--json", description = "the results rows as JSON instead of the tables")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return run(twt.workspace, new Options(recipes, snapshot, queries, seed, teacher, compressor, threshold,
                rationaleWeight, evalLimit, Duration.ofMinutes(timeoutMinutes), json));
    }

    static int run(Workspace workspace, Options options) throws Exception {
        long started = System.nanoTime();
        String bootstrap = workspace.kafkaBootstrap();
        // progress goes to stderr, so that --json leaves stdout to the rows
        PrintStream log = System.err;
        boolean teachersAnswerEvalSplit = options.queries() != null;
        if (options.queries() != null) {
            List<Query> training = LabQueryMix.EVEN.draw(options.queries(), options.seed());
            List<Query> eval = DemoCommand.evalQueries();
            List<Query> queries = new ArrayList<>(training);
            queries.addAll(eval);
            PushCommand.send(bootstrap, queries);
            log.printf("pushed %d lab queries (%d math, %d mcq, %d code) and eval-service's %d eval queries%n",
                    training.size(), DemoCommand.count(training, TaskKind.MATH), DemoCommand.count(training, TaskKind.MCQ),
                    DemoCommand.count(training, TaskKind.CODE), eval.size());
            awaitDecisions(bootstrap, queries.stream().map(Query::id).toList(), options.timeout(), log);
        }
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.set("recipes", Json.MAPPER.valueToTree(options.recipes()));
        request.put("snapshot", options.snapshot());
        request.put("teacher", options.teacher());
        request.put("compressor", options.compressor());
        if (options.threshold() != null) {
            request.put("threshold", options.threshold());
        }
        if (options.rationaleWeight() != null) {
            request.put("rationaleWeight", options.rationaleWeight());
        }
        if (options.evalLimit() != null) {
            request.put("evalLimit", options.evalLimit());
        }
        JsonNode status = send(HttpRequest.newBuilder(URI.create(Service.TRAINER_SERVICE.url() + "/experiments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(request))));
        String id = status.path("id").asText();
        log.printf("experiment %s: recipes %s over pool %s (%d queries, %d teacher outputs)%n", id, options.recipes(),
                status.path("snapshot").asText(), status.path("poolQueries").asInt(), status.path("poolOutputs").asInt());
        Set<TaskKind> notRun = DemoCommand.sandboxRefusesCode() ? Set.of(TaskKind.CODE) : Set.of();
        int teachers = teachersAnswerEvalSplit ? teacherCount() : 0;
        awaitEvaluated(bootstrap, id, teachers, notRun, options.timeout(), log);
        log.printf("experiment %s finished in %.0f s%n", id, (System.nanoTime() - started) / 1e9);
        return print(bootstrap, id, options.json(), notRun, System.out);
    }

    /** {@code ./twt report --experiment ID [--json]}. */
    static int report(Workspace workspace, String id, boolean json, PrintStream out) throws Exception {
        Set<TaskKind> notRun = DemoCommand.sandboxRefusesCode() ? Set.of(TaskKind.CODE) : Set.of();
        return print(workspace.kafkaBootstrap(), id, json, notRun, out);
    }

    private static int print(String bootstrap, String id, boolean json, Set<TaskKind> notRun, PrintStream out) throws Exception {
        JsonNode status = experiment(id);
        List<String> recipes = StreamSupport.stream(status.path("recipes").spliterator(), false)
                .map(recipe -> recipe.path("recipe").asText()).toList();
        List<EvalReport> reports;
        try (KafkaView view = new KafkaView(bootstrap)) {
            reports = EvalReport.ofExperiment(view.latestByKey(Topic.EVAL_REPORTS, EvalReport.class).values(), id);
        }
        if (json) {
            out.print(ResultRows.json(ResultRows.ofExperiment(reports, id, status.path("snapshot").asText())));
        } else {
            out.printf("experiment %s, pool %s (%d queries)%n%n", id, status.path("snapshot").asText(),
                    status.path("poolQueries").asInt());
            out.print(ExperimentTables.render(reports, recipes, notRun));
            out.println();
            out.print(ExperimentTables.trainingData(status));
        }
        return 0;
    }

    /** Waits until each pushed query has its decision (lab queries are valid, so a sample set or a rejection). */
    private static void awaitDecisions(String bootstrap, List<String> ids, Duration timeout, PrintStream log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> pending = new HashSet<>(ids);
        int shown = -1;
        try (KafkaView view = new KafkaView(bootstrap)) {
            while (!pending.isEmpty()) {
                for (Topic topic : List.of(Topic.DIVERSE_PAIRS, Topic.REJECTED_QUERIES)) {
                    view.readAll(topic, record -> pending.remove(record.key()));
                }
                int decided = ids.size() - pending.size();
                if (decided != shown) {
                    log.printf("DCRS decided %d / %d queries%n", decided, ids.size());
                    shown = decided;
                }
                if (!pending.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(pending.size() + " queries undecided after " + timeout.toMinutes()
                                + " min; see ./twt logs sampler-service");
                    }
                    Thread.sleep(2000);
                }
            }
        }
    }

    /** Waits until every recipe's every stage, the vanilla student, chance and (when asked) the teachers are scored. */
    private static void awaitEvaluated(String bootstrap, String id, int teachers, Set<TaskKind> notRun, Duration timeout,
                                       PrintStream log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int tasks = TaskKind.values().length - notRun.size();
        String shown = "";
        try (KafkaView view = new KafkaView(bootstrap)) {
            while (true) {
                JsonNode status = experiment(id);
                List<EvalReport> reports = EvalReport.ofExperiment(view.latestByKey(Topic.EVAL_REPORTS, EvalReport.class).values(), id);
                StringBuilder line = new StringBuilder();
                boolean done = status.path("complete").asBoolean();
                for (JsonNode recipe : status.path("recipes")) {
                    String name = recipe.path("recipe").asText();
                    long scored = reports.stream().filter(r -> ResultRows.kindOf(r) == ResultRows.Kind.STUDENT
                            && name.equals(r.recipe())).count();
                    int expected = recipe.path("stages").asInt() * tasks;
                    line.append(String.format("%s %d/%d stages %d/%d reports; ", name, recipe.path("stagesTrained").asInt(),
                            recipe.path("stages").asInt(), scored, expected));
                    done &= scored >= expected;
                }
                done &= count(reports, ResultRows.Kind.VANILLA) >= tasks && count(reports, ResultRows.Kind.CHANCE) >= tasks
                        && count(reports, ResultRows.Kind.TEACHER) >= (long) teachers * tasks;
                if (!line.toString().equals(shown)) {
                    log.println(line.toString().strip());
                    shown = line.toString();
                }
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("experiment " + id + " not evaluated after " + timeout.toMinutes()
                            + " min; see ./twt logs trainer-service and eval-service");
                }
                Thread.sleep(5000);
            }
        }
    }

    private static long count(List<EvalReport> reports, ResultRows.Kind kind) {
        return reports.stream().filter(r -> ResultRows.kindOf(r) == kind).count();
    }

    private static int teacherCount() throws Exception {
        return send(HttpRequest.newBuilder(URI.create(Service.TEACHER_GATEWAY.url() + "/teachers")).GET()).size();
    }

    private static JsonNode experiment(String id) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(Service.TRAINER_SERVICE.url() + "/experiments/" + id)).GET());
    }

    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
