// bench/gateway: pushes lab queries to twt.queries, reads twt.teacher-outputs until every (query, teacher)
// record is there, and reports the sustained call rate against the bound sum(max-concurrency) / latency,
// plus the share of right answers among all outputs and among those with c >= threshold (gold labels).
// Run by run.sh with the Kafka and lab jars on the class path (java's single-file source launcher).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.kafka.edge.KafkaClients;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;

public class GatewayBench {

    static final RecordCodec<Query> QUERIES = Topic.QUERIES.codec(Query.class);
    static final RecordCodec<TeacherOutput> OUTPUTS = Topic.TEACHER_OUTPUTS.codec(TeacherOutput.class);

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int teachers = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        double latencySeconds = Integer.parseInt(args[3]) / 1000.0;
        int perKind = Integer.parseInt(args[4]);
        Path codeChecks = Path.of(args[5]);
        double threshold = 0.95;

        // warm-up round (eval split, not measured): the JIT compiles the hot paths of gateway and lab first
        List<Query> warmUp = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            warmUp.addAll(LabTasks.generate(kind, Split.EVAL, 50, 2024));
        }
        long warmStart = System.nanoTime();
        run(bootstrap, warmUp, teachers, new ArrayList<>());
        System.out.printf("warm-up: %d queries in %.1f s%n", warmUp.size(), (System.nanoTime() - warmStart) / 1e9);

        List<Query> queries = new ArrayList<>();
        queries.addAll(LabTasks.generate(TaskKind.MATH, Split.TRAIN, perKind, 2024));
        queries.addAll(LabTasks.generate(TaskKind.MCQ, Split.TRAIN, perKind, 2024));
        queries.addAll(LabTasks.generate(TaskKind.CODE, Split.TRAIN, Math.min(perKind, 200), 2024));
        List<Long> sentAt = new ArrayList<>();
        List<TeacherOutput> outputs = run(bootstrap, queries, teachers, sentAt);

        // sustained rate: records between the 10th and 90th percentile of their send times (no ramp-up, no tail)
        List<Long> sorted = sentAt.stream().sorted().toList();
        int lo = sorted.size() / 10;
        int hi = sorted.size() * 9 / 10;
        double window = (sorted.get(hi) - sorted.get(lo)) / 1000.0;
        double rate = (hi - lo) / window;
        double bound = teachers * concurrency / latencySeconds;
        long perQueryMax = outputs.stream().collect(Collectors.groupingBy(o -> o.queryId() + "/" + o.teacher(), Collectors.counting()))
                .values().stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.printf("throughput: %.1f calls/s sustained vs bound %d teachers x %d max-concurrency / %.3f s = %.1f calls/s; ratio %.3f%n",
                rate, teachers, concurrency, latencySeconds, bound, rate / bound);
        System.out.printf("records: %d, at most %d per (query, teacher); by status %s%n", outputs.size(), perQueryMax,
                outputs.stream().collect(Collectors.groupingBy(TeacherOutput::status, Collectors.counting())));

        // right answers: math and mcq against gold; code by running its three asserts (python, run.sh)
        ArrayNode programs = Json.MAPPER.createArrayNode();
        for (TeacherOutput o : outputs) {
            if (o.status() == TeacherStatus.OK && o.query().task() == TaskKind.CODE) {
                ObjectNode p = programs.addObject();
                p.put("key", o.queryId() + "/" + o.teacher());
                p.put("program", o.answer());
                p.set("tests", Json.MAPPER.valueToTree(o.query().tests()));
            }
        }
        Files.writeString(codeChecks, Json.MAPPER.writeValueAsString(programs));
        Process python = new ProcessBuilder("python3", "-c", PYTHON_CHECK, codeChecks.toString()).redirectErrorStream(true).start();
        JsonNode passed = Json.MAPPER.readTree(python.getInputStream());
        python.waitFor();
        Map<String, Boolean> codePasses = new HashMap<>();
        passed.properties().forEach(e -> codePasses.put(e.getKey(), e.getValue().asBoolean()));

        System.out.printf("%-8s %-14s %8s %10s %8s %12s%n", "task", "teacher", "outputs", "right", "c>=" + threshold, "right|c>=");
        Map<String, int[]> rows = new java.util.TreeMap<>();
        for (TeacherOutput o : outputs) {
            boolean right = o.status() == TeacherStatus.OK && (o.query().task() == TaskKind.CODE
                    ? codePasses.getOrDefault(o.queryId() + "/" + o.teacher(), false)
                    : o.answer().equals(o.query().gold()));
            boolean kept = o.kept(threshold);
            for (String row : List.of(o.query().task().wire() + "|" + o.teacher(), "all|" + o.teacher(), o.query().task().wire() + "|all", "all|all")) {
                int[] c = rows.computeIfAbsent(row, k -> new int[4]);
                c[0]++;
                c[1] += right ? 1 : 0;
                c[2] += kept ? 1 : 0;
                c[3] += right && kept ? 1 : 0;
            }
        }
        rows.forEach((row, c) -> {
            String[] parts = row.split("\\|");
            System.out.printf("%-8s %-14s %8d %9.1f%% %8d %11.1f%%%n", parts[0], parts[1], c[0], 100.0 * c[1] / c[0], c[2],
                    c[2] == 0 ? 0.0 : 100.0 * c[3] / c[2]);
        });
    }

    /** Pushes the queries and reads twt.teacher-outputs until all their records are there; send times go to sentAt. */
    static List<TeacherOutput> run(String bootstrap, List<Query> queries, int teachers, List<Long> sentAt) {
        Set<String> ids = queries.stream().map(Query::id).collect(Collectors.toSet());
        int expected = queries.size() * teachers;
        KafkaClients clients = new KafkaClients(bootstrap);
        try (Producer<String, byte[]> producer = clients.producer()) {
            for (Query q : queries) {
                producer.send(new ProducerRecord<>(Topic.QUERIES.topicName(), q.id(), QUERIES.encode(q)));
            }
            producer.flush();
        }
        System.out.printf("pushed %d queries (%d records expected from %d teachers)%n", queries.size(), expected, teachers);
        List<TeacherOutput> outputs = new ArrayList<>();
        boolean all = clients.topicReader("bench", IsolationLevel.READ_UNCOMMITTED).follow(Topic.TEACHER_OUTPUTS.topicName(),
                Map.of(), r -> {
                    if (ids.contains(r.key())) {
                        outputs.add(OUTPUTS.decode(r.value()));
                        sentAt.add(r.timestamp());
                    }
                }, () -> outputs.size() >= expected, Duration.ofMinutes(15));
        if (!all) {
            throw new IllegalStateException("only " + outputs.size() + " of " + expected + " records within 15 minutes");
        }
        return outputs;
    }

    static final String PYTHON_CHECK = """
            import json, sys
            result = {}
            for item in json.load(open(sys.argv[1])):
                scope = {}
                try:
                    exec(item["program"], scope)
                    for test in item["tests"]:
                        exec(test, scope)
                    result[item["key"]] = True
                except Exception:
                    result[item["key"]] = False
            print(json.dumps(result))
            """;
}
