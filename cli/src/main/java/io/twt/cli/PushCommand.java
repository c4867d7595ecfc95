package io.twt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.InvalidRecordException;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.Topic;
import io.twt.kafka.edge.KafkaClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./twt push FILE.jsonl}: validates every line as a {@link Query}, sends the valid ones to
 * {@code twt.queries} keyed by id, and reports the rejected lines with their reasons. Lines may leave out
 * {@code schemaVersion}, {@code createdAt} and {@code source}; those are filled in.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Validates each line of a JSONL file as a query and sends the valid ones to twt.queries;"
                + " exits 3 when some lines were rejected.")
final class PushCommand implements Callable<Integer> {

    private static final RecordCodec<Query> QUERIES = Topic.QUERIES.codec(Query.class);

    @ParentCommand
    Twt twt;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.jsonl", description = "one query per line")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file);
        }
        return run(twt.workspace, file);
    }

    record Outcome(int sent, List<String> rejected) {
    }

    static int run(Workspace workspace, Path file) throws Exception {
        Outcome outcome = push(workspace.kafkaBootstrap(), file, new ProgressBar("push", Files.lines(file).count()));
        System.out.printf("pushed %d queries to %s, rejected %d lines%n", outcome.sent(), Topic.QUERIES.topicName(),
                outcome.rejected().size());
        outcome.rejected().forEach(line -> System.out.println("  " + line));
        return outcome.rejected().isEmpty() ? Twt.OK : Twt.REJECTED_LINES;
    }

    static Outcome push(String bootstrap, Path file, ProgressBar progress) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> rejected = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (var producer = new KafkaClients(bootstrap).idempotentProducer()) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                progress.step(i + 1);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Query query = parse(line);
                    sends.add(producer.send(new ProducerRecord<>(Topic.QUERIES.topicName(), query.id(), QUERIES.encode(query))));
                } catch (InvalidRecordException e) {
                    rejected.add("line " + (i + 1) + ": " + e.reason());
                }
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a record: " + e.getCause().getMessage(), e);
        }
        progress.done();
        return new Outcome(sends.size(), rejected);
    }

    /** Sends queries to twt.queries and waits until Kafka has every one; a refused send fails the call. */
    static void send(String bootstrap, List<Query> queries) throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (var producer = new KafkaClients(bootstrap).idempotentProducer()) {
            for (Query query : queries) {
                sends.add(producer.send(new ProducerRecord<>(Topic.QUERIES.topicName(), query.id(), QUERIES.encode(query))));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
    }

    static Query parse(String line) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new InvalidRecordException("invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidRecordException("not a JSON object");
        }
        if (!object.has("schemaVersion")) {
            object.put("schemaVersion", SchemaVersion.CURRENT);
        }
        if (!object.has("createdAt")) {
            object.put("createdAt", Instant.now().toString());
        }
        if (!object.has("source")) {
            object.put("source", "twt-push");
        }
        return QUERIES.decode(object.toString());
    }
}
