package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PushCommandTest {

    @Test
    @Timeout(120)
    void pushesValidLinesAndReportsEachRejectedLineWithItsReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("queries.jsonl");
        Files.writeString(file, """
                {"id":"m-1","task":"math","text":"What is 2 + 3?"}
                {"id":"m-2","task":"poetry","text":"Write a poem"}
                {"id":"m-3","task":"mcq","text":"Pick the largest","choices":["1","9","3"]}
                not json
                {"id":"m-4","task":"math","text":"   "}
                """);
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            PushCommand.Outcome outcome = PushCommand.push(kafka.bootstrapServers(), file, new ProgressBar("push", 5));
            assertEquals(2, outcome.sent());
            assertEquals(3, outcome.rejected().size());
            assertTrue(outcome.rejected().get(0).startsWith("line 2: unknown task kind 'poetry'"), outcome.rejected().get(0));
            assertTrue(outcome.rejected().get(1).startsWith("line 4: invalid JSON"), outcome.rejected().get(1));
            assertEquals("line 5: field 'text' is empty", outcome.rejected().get(2));
            new TestTopics(kafka.bootstrapServers()).awaitRecords(Topic.QUERIES.topicName(), 2,
                    r -> r.key().startsWith("m-"), Duration.ofSeconds(30));
        }
    }
}
