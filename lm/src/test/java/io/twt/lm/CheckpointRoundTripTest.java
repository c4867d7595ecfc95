package io.twt.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.io.SafetensorsFile;
import io.twt.lm.io.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving and loading keep the model: checkpoints, adapters, merged weights, sharded and fused layouts. */
class CheckpointRoundTripTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void savedCheckpointReloadsWithIdenticalLogits(String fixture) {
        long[][] ids = Fixtures.longs2(Fixtures.golden(fixture).get("input_ids"));
        float[][][] before;
        try (StudentModel model = StudentModel.load(Fixtures.dir(fixture), null)) {
            before = model.logits(ids);
            model.saveMerged(tmp.resolve("copy"));
        }
        try (StudentModel copy = StudentModel.load(tmp.resolve("copy"), null)) {
            assertLogits(before, copy.logits(ids), 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
    void savedAdapterReloadsWithIdenticalLogitsAndMergesToTheSameModel(String fixture) {
        long[][] ids = Fixtures.longs2(Fixtures.golden(fixture).get("input_ids"));
        float[][][] before;
        try (StudentModel model = StudentModel.load(Fixtures.dir(fixture), Fixtures.dir(fixture).resolve("adapter"))) {
            before = model.logits(ids);
            model.saveAdapter(tmp.resolve("adapter"));
            model.saveMerged(tmp.resolve("merged"));
        }
        try (StudentModel reloaded = StudentModel.load(Fixtures.dir(fixture), tmp.resolve("adapter"))) {
            assertLogits(before, reloaded.logits(ids), 0);
        }
        // W + BA*s computed once differs from Wx + B(Ax)s in float rounding only
        try (StudentModel merged = StudentModel.load(tmp.resolve("merged"), null)) {
            assertLogits(before, merged.logits(ids), 1e-5);
        }
    }

    @Test
    void phi3FusedProjectionsLoadAndSaveUnderTheirOwnNames() throws IOException {
        Path llama = Fixtures.dir("llama-tiny");
        Path phi3 = tmp.resolve("phi3");
        Files.createDirectories(phi3);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(llama.resolve("config.json").toFile());
        config.put("model_type", "phi3");
        config.putArray("architectures").add("Phi3ForCausalLM");
        Files.writeString(phi3.resolve("config.json"), config.toString());
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile file = SafetensorsFile.open(llama.resolve("model.safetensors"))) {
            Map<String, NDArray> fused = new LinkedHashMap<>();
            for (String name : file.names()) {
                String prefix = name.substring(0, name.lastIndexOf('.') - "q_proj".length());
                if (name.endsWith("self_attn.q_proj.weight")) {
                    fused.put(prefix + "qkv_proj.weight", file.load(name, manager)
                            .concat(file.load(prefix + "k_proj.weight", manager), 0)
                            .concat(file.load(prefix + "v_proj.weight", manager), 0));
                } else if (name.endsWith("mlp.gate_proj.weight")) {
                    String mlp = name.substring(0, name.length() - "gate_proj.weight".length());
                    fused.put(mlp + "gate_up_proj.weight", file.load(name, manager).concat(file.load(mlp + "up_proj.weight", manager), 0));
                } else if (!name.matches(".*(k_proj|v_proj|up_proj)\\.weight")) {
                    fused.put(name, file.load(name, manager));
                }
            }
            SafetensorsWriter.write(phi3.resolve("model.safetensors"), fused, Map.of());
        }
        long[][] ids = Fixtures.longs2(Fixtures.golden("llama-tiny").get("input_ids"));
        try (StudentModel reference = StudentModel.load(llama, null); StudentModel model = StudentModel.load(phi3, null)) {
            assertLogits(reference.logits(ids), model.logits(ids), 0);
            model.saveMerged(tmp.resolve("phi3-copy"));
        }
        try (SafetensorsFile saved = SafetensorsFile.open(tmp.resolve("phi3-copy/model.safetensors"))) {
            assertTrue(saved.names().contains("model.layers.1.self_attn.qkv_proj.weight"), saved.names().toString());
            assertTrue(saved.names().contains("model.layers.1.mlp.gate_up_proj.weight"), saved.names().toString());
        }
    }

    @Test
    void shardedCheckpointLoadsLikeTheSingleFile() throws IOException {
        Path llama = Fixtures.dir("llama-tiny");
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(llama.resolve("config.json"), sharded.resolve("config.json"));
        ObjectNode index = new ObjectMapper().createObjectNode();
        ObjectNode weightMap = index.putObject("weight_map");
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile file = SafetensorsFile.open(llama.resolve("model.safetensors"))) {
            Map<String, NDArray> first = new LinkedHashMap<>();
            Map<String, NDArray> second = new LinkedHashMap<>();
            for (String name : file.names()) {
                boolean early = name.startsWith("model.layers.0.") || name.startsWith("model.embed");
                (early ? first : second).put(name, file.load(name, manager));
                weightMap.put(name, early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
            }
            SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), first, Map.of());
            SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second, Map.of());
        }
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index.toString());
        long[][] ids = Fixtures.longs2(Fixtures.golden("llama-tiny").get("input_ids"));
        try (StudentModel single = StudentModel.load(llama, null); StudentModel model = StudentModel.load(sharded, null)) {
            assertLogits(single.logits(ids), model.logits(ids), 0);
        }
    }

    @Test
    void loaderNamesTheTensorWithTheWrongShape() throws IOException {
        Path llama = Fixtures.dir("llama-tiny");
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.copy(llama.resolve("config.json"), broken.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile file = SafetensorsFile.open(llama.resolve("model.safetensors"))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : file.names()) {
                NDArray t = file.load(name, manager);
                tensors.put(name, name.equals("model.layers.1.self_attn.k_proj.weight") ? t.transpose() : t);
            }
            SafetensorsWriter.write(broken.resolve("model.safetensors"), tensors, Map.of());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentModel.load(broken, null));
        assertTrue(e.getMessage().contains("model.layers.1.self_attn.k_proj.weight"), e.getMessage());
    }

    private static void assertLogits(float[][][] expected, float[][][] actual, double tolerance) {
        for (int b = 0; b < expected.length; b++) {
            for (int t = 0; t < expected[b].length; t++) {
                if (tolerance == 0) {
                    assertArrayEquals(expected[b][t], actual[b][t]);
                } else {
                    assertArrayEquals(expected[b][t], actual[b][t], (float) tolerance);
                }
            }
        }
    }
}
