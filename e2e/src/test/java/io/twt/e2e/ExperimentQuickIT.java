package io.twt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.ModelVersion;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./twt experiment} as a user runs it, on the packaged services and a real Kafka (kafka-local's broker, started by
 * {@code ./twt up}): one pool snapshot, twt and standard-kd at small sizes; every model version and student report
 * carries the experiment, its snapshot and its recipe, and every row, recipes and stages, teachers, vanilla and chance,
 * is scored on the same eval ids: the first 3 of the eval split per task kind ({@code --eval-limit 3}).
 */
class ExperimentQuickIT {

    private static final Path ROOT = Path.of(System.getProperty("twt.root", "..")).toAbsolutePath().normalize();
    private static final Path HOME = ROOT.resolve(".twt/experiment-it");

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void twoRecipesTrainOnOnePoolAndEveryRowIsScoredOnTheSameFirstEvalIds() throws Exception {
        deleteRecursively(HOME);
        // a smoke base student, five eval queries per kind, and no live round: the experiment's are the only ones
        Map<String, String> env = Map.of("TWT_HOME", HOME.toString(), "TWT_KAFKA_PORT", "0", "TWT_LAB_BASE_SPEC", "smoke",
                "TWT_EVAL_LIMIT", "5", "TWT_TRAINER_ROUND_MIN_NEW_QUERIES", "1000000");
        try {
            assertEquals(0, twt(env, List.of("up"), new ArrayList<>()), "./twt up failed");
            List<String> output = new ArrayList<>();
            assertEquals(0, twt(env, List.of("experiment", "--recipes", "twt,standard-kd", "--queries", "30",
                    "--eval-limit", "3", "--json"), output),
                    "./twt experiment failed; its output is above");
            JsonNode rows = Json.MAPPER.readTree(jsonOf(output)).get("rows");
            String experiment = rows.get(0).get("experiment").asText();
            String snapshot = rows.get(0).get("snapshot").asText();
            assertTrue(experiment.startsWith("exp-") && snapshot.startsWith("pool-"), rows.toString());
            for (JsonNode row : rows) {
                assertEquals(experiment, row.get("experiment").asText());
                assertEquals(snapshot, row.get("snapshot").asText());
            }
            Set<String> kinds = new java.util.HashSet<>(rows.findValuesAsText("kind"));
            assertEquals(Set.of("teacher", "vanilla", "chance", "student"), kinds, rows.toString());

            String bootstrap = Files.readString(HOME.resolve("kafka.bootstrap")).strip();
            List<ModelVersion> versions = latest(bootstrap, Topic.MODEL_VERSIONS, ModelVersion.class).values().stream()
                    .filter(v -> experiment.equals(v.experiment())).toList();
            assertEquals(Map.of("twt", Set.of(1, 2, 3), "standard-kd", Set.of(1)), versions.stream().collect(Collectors.groupingBy(
                    ModelVersion::recipe, Collectors.mapping(ModelVersion::stage, Collectors.toSet()))));
            assertTrue(versions.stream().allMatch(v -> snapshot.equals(v.snapshot())), versions.toString());
            assertEquals(2, versions.stream().map(ModelVersion::round).distinct().count(), "each recipe is its own round");

            List<EvalReport> students = latest(bootstrap, Topic.EVAL_REPORTS, EvalReport.class).values().stream()
                    .filter(r -> "student".equals(r.model())).toList();
            assertTrue(students.stream().allMatch(r -> experiment.equals(r.experiment()) && snapshot.equals(r.snapshot())),
                    students.toString());
            // every row of the experiment, students and baselines, on the same first 3 eval ids of each task kind
            Map<TaskKind, Set<List<String>>> evalIds = new HashMap<>();
            for (EvalReport report : EvalReport.ofExperiment(latest(bootstrap, Topic.EVAL_REPORTS, EvalReport.class).values(),
                    experiment)) {
                assertEquals(3, report.n(), report.toString());
                evalIds.computeIfAbsent(report.task(), k -> new java.util.HashSet<>()).add(exampleIds(report));
            }
            // code is scored where a sandbox works (it does wherever ./twt up could set one up); mcq and math always
            assertTrue(evalIds.keySet().containsAll(Set.of(TaskKind.MCQ, TaskKind.MATH)), evalIds.keySet().toString());
            evalIds.forEach((task, idLists) -> assertEquals(1, idLists.size(),
                    "every row is scored on the same " + task.wire() + " eval ids: " + idLists));
            assertEquals(4L * evalIds.size(), students.size(), "twt's three stages and standard-kd's one, on each task kind");
        } finally {
            twt(env, List.of("down"), new ArrayList<>());
        }
    }

    private static int twt(Map<String, String> env, List<String> args, List<String> output) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("twt").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        // stderr carries the progress; stdout, the rows
        Thread progress = Thread.ofPlatform().start(() -> new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)).lines().forEach(line -> System.out.println("[twt " + args.get(0) + "] " + line)));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("[twt " + args.get(0) + "] " + line);
                output.add(line);
            }
        }
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "./twt " + args.get(0) + " did not exit");
        progress.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    /** The {"rows": ...} object the command printed last (the launcher may print lines of its own before it). */
    private static String jsonOf(List<String> output) {
        String all = String.join("\n", output);
        return all.substring(all.lastIndexOf("{\n  \"rows\""));
    }

    private static List<String> exampleIds(EvalReport report) {
        try {
            JsonNode examples = Json.MAPPER.readTree(Path.of(URI.create(report.perExampleUri())).toFile()).get("examples");
            List<String> ids = new ArrayList<>();
            examples.forEach(example -> ids.add(example.get("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + report.perExampleUri(), e);
        }
    }

    private static <T extends io.twt.common.Validated> Map<String, T> latest(String bootstrap, Topic topic, Class<T> type) {
        RecordCodec<T> codec = RecordCodec.of(type);
        Map<String, T> latest = new HashMap<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "experiment-it-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> latest.put(record.key(), codec.decode(record.value())));
            }
        }
        return latest;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
