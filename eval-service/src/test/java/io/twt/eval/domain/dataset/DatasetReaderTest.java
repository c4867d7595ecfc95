package io.twt.eval.domain.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals("mbpp-2", first.id());
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
        assertEquals("csqa-61fe6e879ff18686d7552425a36344c8", original.get(1).id());
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
        assertEquals("metamath-1", items.get(1).id());
    }

    @Test
    void formatIsDetectedFromTheFirstLine() {
        assertEquals(DatasetFormat.MBPP, DatasetFormat.detect("{\"task_id\": 1, \"test_list\": []}"));
        assertEquals(DatasetFormat.CSQA, DatasetFormat.detect("{\"answerKey\": \"A\"}"));
        assertEquals(DatasetFormat.GSM8K, DatasetFormat.detect("{\"question\": \"q\", \"answer\": \"#### 1\"}"));
        assertEquals(DatasetFormat.METAMATH, DatasetFormat.detect("[{\"query\": \"q\""));
        assertEquals(DatasetFormat.METAMATH, DatasetFormat.detect("{\"query\": \"q\", \"response\": \"r\"}"));
        assertThrows(IllegalArgumentException.class, () -> DatasetFormat.detect("{\"foo\": 1}"));
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
