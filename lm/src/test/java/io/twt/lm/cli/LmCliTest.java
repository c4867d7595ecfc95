package io.twt.lm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: forward prints the reference's logits; init, train and generate chain through files. */
class LmCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void forwardPrintsOneLogitsRowPerInputPosition() throws Exception {
        Path fixture = Path.of(System.getProperty("twt.shared.dir", "../../shared"), "fixtures", "lm", "llama-tiny");
        JsonNode golden = JSON.readTree(fixture.resolve("golden.json").toFile());
        StringBuilder ids = new StringBuilder();
        for (JsonNode id : golden.get("input_ids").get(0)) {
            ids.append(ids.length() == 0 ? "" : ",").append(id.asLong());
        }
        JsonNode printed = JSON.readTree(run("forward", "--model", fixture.toString(), "--input-ids", ids.toString()));
        JsonNode expected = golden.get("logits").get(0);
        assertEquals(expected.size(), printed.size());
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(expected.get(t).size(), printed.get(t).size());
            for (int v = 0; v < expected.get(t).size(); v++) {
                assertEquals(expected.get(t).get(v).asDouble(), printed.get(t).get(v).asDouble(), 1e-4);
            }
        }
    }

    @Test
    void initTrainAndGenerateChainThroughTheirFiles() throws Exception {
        Path data = tmp.resolve("train.jsonl");
        List<String> lines = new ArrayList<>();
        for (String item : List.of("apple", "pear", "plum", "cat", "dog", "cow")) {
            String kind = item.length() == 3 ? "animal" : "fruit";
            lines.add(JSON.createObjectNode().put("prompt", "Item: " + item + "\nKind:").put("completion", " " + kind).toString());
        }
        Files.write(data, lines);
        Path prompts = tmp.resolve("prompts.jsonl");
        Files.writeString(prompts, JSON.createObjectNode().put("id", "q1").put("prompt", "Item: cat\nKind:") + "\n");

        JsonNode init = JSON.readTree(run("init", "--out", tmp.resolve("base").toString(), "--corpus", data.toString()));
        assertTrue(init.get("vocabSize").asInt() > 259);
        JsonNode trained = JSON.readTree(run("train", "--model", tmp.resolve("base").toString(), "--data", data.toString(),
                "--out", tmp.resolve("stage1").toString(), "--epochs", "2", "--batch", "3", "--lr", "1e-3", "--max-length", "32"));
        assertEquals(4, trained.get("steps").asInt());
        assertTrue(Files.exists(tmp.resolve("stage1/adapter_model.safetensors")));
        assertTrue(Files.exists(tmp.resolve("stage1/adapter_config.json")));
        JsonNode generated = JSON.readTree(run("generate", "--model", tmp.resolve("base").toString(), "--adapter",
                tmp.resolve("stage1").toString(), "--prompts", prompts.toString(), "--max-new-tokens", "3"));
        assertEquals("q1", generated.get("id").asText());
        assertTrue(generated.get("outputTokens").asInt() <= 3);
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LmCli.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
