package io.twt.cli;

import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.TeacherSpend;
import io.twt.common.Topic;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./twt status [--json]}: Kafka, each service's health and pid (the gateway's with its budgets), records and
 * lag per topic, spend per teacher and day from {@code twt.teacher-spend}, current round.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Kafka, each service's health and pid, records and lag per topic, spend per teacher, latest model"
                + " version. Exits 1 when anything is down.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Twt twt;

    @Option(names = "--json", description = "the same as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return run(twt.workspace, json);
    }

    static int run(Workspace workspace, boolean json) throws Exception {
        String bootstrap = workspace.kafkaBootstrap();
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("bootstrap", bootstrap);
        OptionalLong kafkaPid = workspace.pid("kafka");
        kafkaPid.ifPresent(pid -> kafka.put("pid", pid));
        Map<String, Object> services = new LinkedHashMap<>();
        boolean allUp = true;
        for (Service service : Service.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("url", service.url());
            String health = Health.of(service);
            allUp &= health.equals("UP");
            entry.put("health", health);
            workspace.pid(service.serviceName()).ifPresent(pid -> entry.put("pid", pid));
            if (service == Service.TEACHER_GATEWAY && health.equals("UP")) {
                // paused or not, and why: a spent teacher budget stops the gateway taking queries
                Health.json(service, "/teachers/budgets").ifPresent(budgets -> entry.put("budgets", budgets));
            }
            services.put(service.serviceName(), entry);
        }
        try (KafkaView view = new KafkaView(bootstrap)) {
            boolean reachable = view.reachable();
            kafka.put("health", reachable ? "UP" : "DOWN");
            allUp &= reachable;
            status.put("kafka", kafka);
            status.put("services", services);
            if (reachable) {
                status.put("topics", view.topicFigures());
                // the spend ledger, from the topic itself: it outlives every gateway process
                status.put("spend", TeacherSpend.perTeacherPerDay(view.latestByKey(Topic.TEACHER_SPEND, TeacherSpend.class).values()));
                view.latestByKey(Topic.MODEL_VERSIONS, ModelVersion.class).values().stream()
                        .max(Comparator.comparingInt(ModelVersion::round).thenComparingInt(ModelVersion::stage))
                        .ifPresent(latest -> status.put("latestModel",
                                Map.of("round", latest.round(), "stage", latest.stage(), "recipe", String.valueOf(latest.recipe()))));
            }
        }
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } else {
            printTable(status);
        }
        return allUp ? Twt.OK : Twt.FAILED;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(Map<String, Object> status) {
        Map<String, Object> kafka = (Map<String, Object>) status.get("kafka");
        System.out.printf("%-22s %-6s %s%n", "kafka", kafka.get("health"), kafka.get("bootstrap"));
        ((Map<String, Map<String, Object>>) status.get("services")).forEach((name, entry) -> {
            System.out.printf("%-22s %-6s %s%s%n", name, entry.get("health"), entry.get("url"),
                    entry.containsKey("pid") ? "  pid " + entry.get("pid") : "");
            if (entry.get("budgets") instanceof Map<?, ?> budgets) {
                printBudgets((Map<String, Object>) budgets);
            }
        });
        Object topics = status.get("topics");
        if (topics != null) {
            System.out.printf("%n%-34s %10s %10s%n", "topic", "records", "lag");
            ((Map<String, KafkaView.TopicFigures>) topics).forEach((name, figures) ->
                    System.out.printf("%-34s %10d %10d%n", name, figures.records(), figures.lag()));
        }
        Object spend = status.get("spend");
        if (spend instanceof Map<?, ?> table && !table.isEmpty()) {
            System.out.printf("%n%-24s %-10s %8s %14s %14s %12s%n", "teacher", "day (UTC)", "calls", "prompt tok", "completion tok", "cost USD");
            ((Map<String, Map<String, TeacherSpend>>) spend).forEach((teacher, days) -> days.forEach((day, e) ->
                    System.out.printf("%-24s %-10s %8d %14d %14d %12.4f%n", teacher, day, e.calls(), e.promptTokens(),
                            e.completionTokens(), e.costUsd())));
        }
        Object latest = status.get("latestModel");
        System.out.println(latest == null ? "\nno model version yet" : "\nlatest model version: " + latest);
    }

    @SuppressWarnings("unchecked")
    private static void printBudgets(Map<String, Object> budgets) {
        if (Boolean.TRUE.equals(budgets.get("paused"))) {
            System.out.println("  PAUSED: a teacher budget is spent; raise it (POST /teachers/NAME/budget or budget-usd in the teachers file)");
        }
        for (Map<String, Object> teacher : (Iterable<Map<String, Object>>) budgets.get("teachers")) {
            System.out.printf("  %-20s spent %10.4f USD of %s%s%n", teacher.get("teacher"), ((Number) teacher.get("spentUsd")).doubleValue(),
                    teacher.get("capUsd") == null ? "no cap" : teacher.get("capUsd") + " USD",
                    Boolean.TRUE.equals(teacher.get("exhausted")) ? "  SPENT" : "");
        }
    }
}
