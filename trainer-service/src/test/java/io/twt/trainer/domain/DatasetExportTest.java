package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Json;
import io.twt.lm.SftExample;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every export layout of a round's stages holds exactly the examples the stage trained on, each with its origin. */
class DatasetExportTest {

    @TempDir
    Path store;

    @BeforeEach
    void runARound() {
        DistillationSet set = DistillationSet.open(store.resolve("distillation-set.jsonl"));
        set.append(List.of(Samples.set("q1", "a", "b"), Samples.set("q22", "c")));
        RoundLedger ledger = RoundLedger.open(store.resolve("rounds.json"));
        RoundListener quiet = new RoundListener() {
            @Override
            public void stageTrained(int round, int stage, TrainableStudent.TrainedStage trained, int examples) {
            }

            @Override
            public void compressionCollected(int round, int afterStage, CompressedSet collected) {
            }
        };
        RoundRunner runner = new RoundRunner(set, Experiments.open(store.resolve("experiments")), ledger,
                new RoundRunnerTest.RecordingStudent(), new RoundRunnerTest.InMemoryExchange(),
                new RoundRunnerTest.InMemoryBoard(), quiet, store, Duration.ofSeconds(1));
        runner.run(runner.open(StageRecipe.hard()).round());
    }

    /** The stage's train.jsonl, read as lm train reads a file. */
    private List<SftExample> trained(int stage) throws IOException {
        return read(store.resolve("rounds/round-1/stage-" + stage + "/train.jsonl"));
    }

    private static List<SftExample> read(Path file) throws IOException {
        List<SftExample> examples = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            examples.add(SftExample.fromJson(Json.MAPPER.readTree(line)));
        }
        return examples;
    }

    private List<JsonNode> export(int stage, DatasetExport.Format format) throws IOException {
        StringWriter out = new StringWriter();
        DatasetExport.write(DatasetExport.lines(store, stage, null), format, out);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            lines.add(Json.MAPPER.readTree(line));
        }
        return lines;
    }

    @Test
    void aStageOneExportReadByLmTrainGivesTheExamplesTheTrainerUsed(@TempDir Path out) throws IOException {
        for (DatasetExport.Format format : List.of(DatasetExport.Format.MESSAGES, DatasetExport.Format.PROMPT_COMPLETION)) {
            Path file = out.resolve(format + ".jsonl");
            StringWriter lines = new StringWriter();
            DatasetExport.write(DatasetExport.lines(store, 1, 1), format, lines);
            Files.writeString(file, lines.toString());
            assertEquals(trained(1), read(file), format.toString());
        }
        assertEquals(3, trained(1).size(), "three (query, teacher) rows, three rationales");
    }

    @Test
    void everyStageAndLayoutHoldsTheTrainedExamplesInOrder() throws IOException {
        for (int stage = 1; stage <= 3; stage++) {
            List<SftExample> trained = trained(stage);
            List<JsonNode> messages = export(stage, DatasetExport.Format.MESSAGES);
            List<JsonNode> sharegpt = export(stage, DatasetExport.Format.SHAREGPT);
            List<JsonNode> alpaca = export(stage, DatasetExport.Format.ALPACA);
            List<JsonNode> promptCompletion = export(stage, DatasetExport.Format.PROMPT_COMPLETION);
            assertEquals(trained.size(), messages.size());
            for (int i = 0; i < trained.size(); i++) {
                SftExample example = trained.get(i);
                assertEquals("user", messages.get(i).at("/messages/0/role").asText());
                assertEquals(example.prompt(), messages.get(i).at("/messages/0/content").asText());
                assertEquals("assistant", messages.get(i).at("/messages/1/role").asText());
                assertEquals(example.completion(), messages.get(i).at("/messages/1/content").asText());
                assertEquals(example.prompt(), sharegpt.get(i).at("/conversations/0/value").asText());
                assertEquals("gpt", sharegpt.get(i).at("/conversations/1/from").asText());
                assertEquals(example.completion(), sharegpt.get(i).at("/conversations/1/value").asText());
                assertEquals(example.prompt(), alpaca.get(i).get("instruction").asText());
                assertEquals("", alpaca.get(i).get("input").asText());
                assertEquals(example.completion(), alpaca.get(i).get("output").asText());
                assertEquals(example.prompt(), promptCompletion.get(i).get("prompt").asText());
                for (JsonNode line : List.of(messages.get(i), sharegpt.get(i), alpaca.get(i), promptCompletion.get(i))) {
                    JsonNode metadata = line.get("metadata");
                    assertEquals(stage, metadata.get("stage").asInt());
                    assertEquals(1, metadata.get("round").asInt());
                    assertEquals("math", metadata.get("task").asText());
                    assertEquals(0.97, metadata.get("confidence").asDouble());
                    assertEquals("twt", metadata.get("recipe").asText());
                    assertTrue(example.prompt().contains("What is 2 + " + metadata.get("queryId").asText().length()), line.toString());
                }
            }
        }
        // stage 2 trains on the rationales compression gave back; stage 3 on the answers alone, one per query
        assertTrue(export(2, DatasetExport.Format.PROMPT_COMPLETION).stream().allMatch(l -> l.get("completion").asText().startsWith("Short.")));
        List<JsonNode> answersOnly = export(3, DatasetExport.Format.PROMPT_COMPLETION);
        assertEquals(List.of("q1", "q22"), answersOnly.stream().map(l -> l.at("/metadata/queryId").asText()).toList());
        assertEquals(List.of("a", "b", "c"), teachers(1));
    }

    private List<String> teachers(int stage) throws IOException {
        return export(stage, DatasetExport.Format.MESSAGES).stream().map(l -> l.at("/metadata/teacher").asText()).toList();
    }

    @Test
    void aRoundOrStageNotTrainedIsRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetExport.lines(store, 1, 2)).getMessage().contains("round 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetExport.lines(store, 4, null)).getMessage()
                .contains("stage 4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatasetExport.Format.of("csv")).getMessage()
                .contains("messages, prompt-completion, sharegpt or alpaca"));
    }

    @Test
    void aMultiTaskExampleCarriesItsTaskAndWeightInEveryLayoutLmReads() {
        StageRecipe.Example rationale = new StageRecipe.Example("[rationale] x", "r", "rationale", 0.5);
        for (DatasetExport.Format format : List.of(DatasetExport.Format.PROMPT_COMPLETION, DatasetExport.Format.MESSAGES)) {
            SftExample read = SftExample.fromJson(DatasetExport.render(rationale, format));
            assertEquals(new SftExample("[rationale] x", "r", "rationale", 0.5), read, format.wire());
        }
        JsonNode plain = DatasetExport.render(new StageRecipe.Example("x", "#### 4"), DatasetExport.Format.PROMPT_COMPLETION);
        assertTrue(plain.path("task").isMissingNode() && plain.path("taskWeight").isMissingNode());
    }
}
