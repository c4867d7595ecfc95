package io.twt.eval.domain.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.Json;
import io.twt.common.TaskKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    static Path fixture(String name) {
        try {
            return Path.of(DatasetReaderTest.class.getResource("/datasets/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mbppKeepsTestsSetupAndReferenceSolution() {
        List<EvalItem> items = DatasetReader.read(fixture("mbpp.jsonl"), null);
        assertEquals(4, items.size());
        EvalItem first = items.get(0);
        assertEquals("2", first.id());
        assertEquals(List.of("2", "mbpp-2"), first.acceptedIds());
        assertEquals(TaskKind.CODE, first.task());
        assertEquals(3, first.query().tests().size());
        assertTrue(first.query().gold().startsWith("def similar_elements"));
        assertNull(first.testSetup());
        assertEquals("OFFSET = 10", items.get(3).testSetup());
    }

    @Test
    void commonsenseQaInBothReleases() {
        List<EvalItem> original = DatasetReader.read(fixture("csqa.jsonl"), null);
        assertEquals(2, original.size());
        assertEquals(List.of("ignore", "enforce", "authoritarian", "yell at", "avoid"), original.get(0).query().choices());
        assertEquals("A", original.get(0).query().gold());
        assertEquals("61fe6e879ff18686d7552425a36344c8", original.get(1).id());
        List<EvalItem> huggingFace = DatasetReader.read(fixture("csqa-hf.jsonl"), DatasetFormat.CSQA);
        assertEquals("reading", huggingFace.get(0).query().choices().get(0));
        assertTrue(huggingFace.get(0).query().text().startsWith("What is someone doing"));
    }

    @Test
    void gsm8kGoldIsTheNumberAfterTheMark() {
        List<EvalItem> items = DatasetReader.read(fixture("gsm8k.jsonl"), null);
        assertEquals(List.of("72", "10", "3,600"), items.stream().map(i -> i.query().gold()).toList());
        assertEquals(TaskKind.MATH, items.get(0).task());
    }

    @Test
    void metaMathGoldIsTheStatedAnswer() {
        List<EvalItem> items = DatasetReader.read(fixture("metamath.json"), null);
        assertEquals(List.of("\\sqrt{5}", "752"), items.stream().map(i -> i.query().gold()).toList());
        assertEquals("1", items.get(1).id());
        assertEquals(List.of("1", "metamath-1"), items.get(1).acceptedIds());
    }

    @Test
    void mbppSanitizedArrayRunsItsTestImportsBeforeTheAsserts() {
        List<EvalItem> items = DatasetReader.read(fixture("mbpp-sanitized.json"), null);
        assertEquals(List.of("2", "17", "139"), items.stream().map(EvalItem::id).toList());
        assertNull(items.get(0).testSetup());
        assertEquals("import math", items.get(2).testSetup());
        assertTrue(items.get(2).query().text().startsWith("Write a function to find the circumference"));
    }

    @Test
    void mathRecordsUseTheirOwnIdFieldWhenTheyHaveOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("with-idx.jsonl");
        Files.writeString(file, """
                {"idx": 17, "question": "q", "answer": "#### 1"}
                {"id": "gsm-x", "question": "q", "answer": "#### 2"}
                """);
        assertEquals(List.of("17", "gsm-x"), DatasetReader.read(file, null).stream().map(EvalItem::id).toList());
    }

    @Test
    void formatIsDetectedFromTheFirstRecord() {
        assertEquals(DatasetFormat.MBPP, DatasetFormat.detect(json("{\"task_id\": 1, \"test_list\": []}")));
        assertEquals(DatasetFormat.CSQA, DatasetFormat.detect(json("{\"answerKey\": \"A\"}")));
        assertEquals(DatasetFormat.GSM8K, DatasetFormat.detect(json("{\"question\": \"q\", \"answer\": \"#### 1\"}")));
        assertEquals(DatasetFormat.METAMATH, DatasetFormat.detect(json("{\"query\": \"q\", \"response\": \"r\"}")));
        assertThrows(IllegalArgumentException.class, () -> DatasetFormat.detect(json("{\"foo\": 1}")));
        assertThrows(IllegalArgumentException.class, () -> DatasetFormat.detect(json("[1]")));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedLineIsReportedWithItsNumber(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.jsonl");
        Files.writeString(file, "{\"question\": \"q\", \"answer\": \"#### 1\"}\n{\"question\": \"no answer\"}\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DatasetReader.read(file, DatasetFormat.GSM8K));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
        assertTrue(error.getMessage().contains("answer"), error.getMessage());
    }
}
