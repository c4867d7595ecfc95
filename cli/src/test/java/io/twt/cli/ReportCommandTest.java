package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.EvalReport;
import io.twt.common.Json;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.common.Topic;
import io.twt.kafka.LocalKafka;
import io.twt.testsupport.TestTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./twt report --json} against a real broker holding eval reports. */
class ReportCommandTest {

    private static final RecordCodec<EvalReport> REPORTS = RecordCodec.of(EvalReport.class);

    @Test
    @Timeout(120)
    void jsonReportHasOneRowPerLatestReportInTheTablesOrder() throws Exception {
        List<EvalReport> reports = List.of(
                new EvalReport(1, 1, 1, "twt", "student", TaskKind.MATH, "accuracy", 0.2, 40, 30, null, null, null),
                new EvalReport(1, 0, 0, null, "chance", TaskKind.MATH, "accuracy", 0.1, 40, 3, null, null, null),
                // the compacted topic keeps the latest per key: this one replaces the first
                new EvalReport(1, 1, 1, "twt", "student", TaskKind.MATH, "accuracy", 0.6, 40, 12, null, null, null));
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            TestTopics topics = new TestTopics(kafka.bootstrapServers());
            for (EvalReport report : reports) {
                topics.send(Topic.EVAL_REPORTS.topicName(), report.key(), REPORTS.encode(report));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, ReportCommand.report(kafka.bootstrapServers(), true, new PrintStream(out, true, StandardCharsets.UTF_8)));
            JsonNode rows = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8)).get("rows");
            assertEquals(List.of("chance", "round 1 stage 1 twt"), rows.findValuesAsText("model"));
            assertEquals(0.6, rows.get(1).get("value").asDouble());
            assertEquals(12.0, rows.get(1).get("avgOutputTokens").asDouble());
        }
    }
}
