package io.twt.lm;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.io.SafetensorsFile;
import io.twt.lm.model.Adapters;
import io.twt.lm.load.BaseWeights;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA on phi3's fused qkv_proj / gate_up_proj: read in bf16 with use_rslora, saved under the same names for PEFT and vLLM. */
class FusedAdaptersTest {

    private static final Path PHI3 = Fixtures.resource("phi3-longrope-tiny");

    @Test
    void bf16RsLoraAdapterOnFusedModulesGivesTheReferenceLogits() {
        JsonNode golden = Fixtures.goldenAt(PHI3);
        try (StudentModel model = StudentModel.load(PHI3, PHI3.resolve("adapter"))) {
            assertEquals(4 / Math.sqrt(2), model.adapterConfig().scaling(), 1e-12);
            assertEquals(golden.at("/lora/scaling").asDouble(), model.adapterConfig().scaling(), 1e-12);
            double diff = Fixtures.maxAbsDiff(model.logits(Fixtures.longs2(golden.get("input_ids"))), golden.at("/lora/logits"));
            assertTrue(diff <= golden.at("/tolerance/logits_abs").asDouble(), "max |diff| " + diff);
        }
    }

    @Test
    void savedAdapterKeepsTheFusedNamesAndTheHubId(@TempDir Path tmp) throws Exception {
        JsonNode golden = Fixtures.goldenAt(PHI3);
        try (StudentModel model = StudentModel.load(PHI3, PHI3.resolve("adapter"))) {
            model.saveAdapter(tmp.resolve("from-config"));
            model.saveAdapter(tmp.resolve("from-setting"), "microsoft/Phi-3.5-mini-instruct");
        }
        try (SafetensorsFile saved = SafetensorsFile.open(tmp.resolve("from-config/" + Adapters.WEIGHTS))) {
            assertTrue(saved.names().contains("base_model.model.model.layers.1.self_attn.qkv_proj.lora_B.weight"), saved.names().toString());
            assertTrue(saved.names().contains("base_model.model.model.layers.0.mlp.gate_up_proj.lora_A.weight"), saved.names().toString());
        }
        JsonNode config = new ObjectMapper().readTree(tmp.resolve("from-config/" + Adapters.CONFIG).toFile());
        assertEquals("twt-fixtures/phi3-longrope-tiny", config.get("base_model_name_or_path").asText());
        assertTrue(config.get("use_rslora").asBoolean());
        assertEquals("[\"gate_up_proj\",\"qkv_proj\"]", config.get("target_modules").toString());
        JsonNode setting = new ObjectMapper().readTree(tmp.resolve("from-setting/" + Adapters.CONFIG).toFile());
        assertEquals("microsoft/Phi-3.5-mini-instruct", setting.get("base_model_name_or_path").asText());
        try (StudentModel reloaded = StudentModel.load(PHI3, tmp.resolve("from-config"))) {
            double diff = Fixtures.maxAbsDiff(reloaded.logits(Fixtures.longs2(golden.get("input_ids"))), golden.at("/lora/logits"));
            assertTrue(diff <= golden.at("/tolerance/logits_abs").asDouble(), "reloaded max |diff| " + diff);
        }
    }

    @Test
    void paperPresetOnPhi3PutsTheAdapterOnTheFusedQkvProjection(@TempDir Path tmp) throws Exception {
        LlamaConfig config = LlamaConfig.read(PHI3.resolve("config.json"));
        try (LlamaModel model = BaseWeights.load(PHI3, config, NDManager.newBaseManager())) {
            Adapters.init(model, LoraConfig.paperPreset(), 1);
            Set<String> carriers = new TreeSet<>();
            for (Linear linear : model.projections()) {
                if (linear.loraA() != null) {
                    carriers.add(linear.name().substring(linear.name().lastIndexOf('.') + 1));
                }
            }
            assertEquals(Set.of("o_proj", "qkv_proj"), carriers);
            Adapters.save(model, LoraConfig.paperPreset(), "microsoft/Phi-3.5-mini-instruct", tmp);
        }
        JsonNode saved = new ObjectMapper().readTree(tmp.resolve(Adapters.CONFIG).toFile());
        assertEquals(List.of("o_proj", "qkv_proj"), List.of(saved.get("target_modules").get(0).asText(),
                saved.get("target_modules").get(1).asText()));
        assertEquals(2, saved.get("target_modules").size());
    }
}
