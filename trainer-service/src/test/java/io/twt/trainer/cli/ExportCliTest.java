package io.twt.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.trainer.domain.DistillationSet;
import io.twt.trainer.domain.RoundLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./twt export} writes a trained stage of a model store as the JSONL layout asked for. */
class ExportCliTest {

    @Test
    void writesTheStageOfTheNewestRoundAsAlpacaLines(@TempDir Path store) throws Exception {
        Query query = Query.of("q7", TaskKind.MCQ, "Which is a fruit?", List.of("apple", "bus"), null, "test", "A");
        DistillationSet.open(store.resolve("distillation-set.jsonl")).append(List.of(new DistillSampleSet(SchemaVersion.CURRENT,
                "q7", query, List.of(new DistillSample("lab-terse", "Apples grow on trees.", "A", 0.96)), null, 1, 3)));
        RoundLedger ledger = RoundLedger.open(store.resolve("rounds.json"));
        int round = ledger.startRound("standard-kd", 1, "/models/base").round();
        ledger.record(round, new RoundLedger.StageEntry(1, store.resolve("w").toString(), false, 1, 10, 1.0, 1.0, 0,
                RoundLedger.Announcement.SENT, 3));

        Path out = store.resolve("stage-1.alpaca.jsonl");
        ExportCli.main(new String[] {"--store", store.toString(), "--stage", "1", "--format", "alpaca", "--out", out.toString()});

        List<String> lines = Files.readAllLines(out);
        assertEquals(1, lines.size());
        JsonNode line = Json.MAPPER.readTree(lines.get(0));
        assertEquals(StudentPrompt.prompt(query), line.get("instruction").asText());
        assertEquals("#### A", line.get("output").asText());
        assertEquals("lab-terse", line.at("/metadata/teacher").asText());
        assertEquals(0.96, line.at("/metadata/confidence").asDouble());
        assertEquals("mcq", line.at("/metadata/task").asText());
    }
}
