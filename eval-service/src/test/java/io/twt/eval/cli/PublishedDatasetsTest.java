package io.twt.eval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.Json;
import io.twt.eval.domain.scoring.TaskScore;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files laid out exactly as the benchmarks publish them, and predictions keyed by the dataset's own ids as
 * another harness writes them (the id copied from the record, number or string): the reference answers score
 * 1.0, wrong ones 0.0.
 */
@Timeout(300)
class PublishedDatasetsTest {

    @TempDir
    Path dir;

    @Test
    void mbppFullReleaseByTaskId() throws Exception {
        assertScores("mbpp.jsonl", record -> record.get("task_id"), record -> "```python\n" + record.get("code").asText() + "\n```",
                record -> "def nothing():\n    return None");
    }

    @Test
    void mbppSanitizedReleaseWithItsTestImports() throws Exception {
        assertScores("mbpp-sanitized.json", record -> record.get("task_id"), record -> record.get("code").asText(),
                record -> "def nothing():\n    return None");
    }

    @Test
    void commonsenseQaOriginalReleaseById() throws Exception {
        assertScores("csqa.jsonl", record -> record.get("id"), record -> record.get("answerKey").asText(),
                record -> record.get("answerKey").asText().equals("A") ? "B" : "A");
    }

    @Test
    void commonsenseQaHuggingFaceLayoutById() throws Exception {
        assertScores("csqa-hf.jsonl", record -> record.get("id"), record -> "The answer is " + record.get("answerKey").asText(),
                record -> "The answer is " + (record.get("answerKey").asText().equals("A") ? "B" : "A"));
    }

    @Test
    void gsm8kByLineIndex() throws Exception {
        assertScores("gsm8k.jsonl", null, record -> record.get("answer").asText(), record -> "#### 123456");
    }

    @Test
    void metaMathByArrayIndex() throws Exception {
        assertScores("metamath.json", null, record -> record.get("response").asText(), record -> "The answer is: 0.5");
    }

    /** @param idOf the record's id field; null: the 0-based record index, as a number */
    private void assertScores(String fixture, Function<JsonNode, JsonNode> idOf, Function<JsonNode, String> right,
                              Function<JsonNode, String> wrong) throws Exception {
        List<JsonNode> records = records(fixture(fixture));
        TaskScore rightScore = score(fixture, records, idOf, right);
        assertEquals(1.0, rightScore.value(), 1e-9, fixture + ": reference answers " + rightScore.examples());
        TaskScore wrongScore = score(fixture, records, idOf, wrong);
        assertEquals(0.0, wrongScore.value(), 1e-9, fixture + ": wrong answers");
        assertEquals(records.size(), wrongScore.n());
    }

    private TaskScore score(String fixture, List<JsonNode> records, Function<JsonNode, JsonNode> idOf,
                            Function<JsonNode, String> output) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < records.size(); i++) {
            ObjectNode prediction = Json.MAPPER.createObjectNode();
            if (idOf == null) {
                prediction.put("id", i);
            } else {
                prediction.set("id", idOf.apply(records.get(i)));
            }
            prediction.put("output", output.apply(records.get(i)));
            lines.append(Json.MAPPER.writeValueAsString(prediction)).append('\n');
        }
        Path predictions = Files.writeString(dir.resolve(fixture + ".predictions.jsonl"), lines);
        List<TaskScore> scores = EvalCli.run(EvalCli.Options.parse(new String[] {
                "--dataset", fixture(fixture).toString(), "--predictions", predictions.toString()}));
        assertEquals(1, scores.size());
        return scores.get(0);
    }

    private static List<JsonNode> records(Path file) throws Exception {
        String content = Files.readString(file);
        List<JsonNode> records = new ArrayList<>();
        if (content.strip().startsWith("[")) {
            Json.MAPPER.readTree(content).forEach(records::add);
        } else {
            for (String line : content.lines().filter(l -> !l.isBlank()).toList()) {
                records.add(Json.MAPPER.readTree(line));
            }
        }
        return records;
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(PublishedDatasetsTest.class.getResource("/datasets/" + name).toURI());
    }
}
