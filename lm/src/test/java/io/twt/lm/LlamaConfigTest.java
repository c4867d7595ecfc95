package io.twt.lm;

import io.twt.lm.config.LlamaConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config.json is read the way transformers reads it, and what cannot run fails with the value. */
class LlamaConfigTest {

    private static LlamaConfig parse(String json) throws Exception {
        return LlamaConfig.fromJson(new ObjectMapper().readTree(json));
    }

    @Test
    void llama3ConfigReadsEosListRopeScalingAndDefaults() throws Exception {
        LlamaConfig c = parse("""
                {"model_type": "llama", "vocab_size": 128256, "hidden_size": 2048, "intermediate_size": 8192,
                 "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "rope_theta": 500000.0,
                 "rope_scaling": {"factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                 "eos_token_id": [128001, 128008, 128009], "bos_token_id": 128000, "tie_word_embeddings": true}""");
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(64, c.headDim());
        assertEquals(4, c.kvGroups());
        assertEquals(32.0, ((LlamaConfig.Llama3) c.ropeScaling()).factor());
        assertTrue(c.tieWordEmbeddings());
        assertFalse(c.qkvBias());
        assertEquals(c, LlamaConfig.fromJson(c.toJson()));
    }

    @Test
    void generationConfigAddsItsEosIds(@TempDir Path tmp) throws Exception {
        Path generationConfig = tmp.resolve("generation_config.json");
        Files.writeString(generationConfig, "{\"eos_token_id\": [2, 7], \"bos_token_id\": 1}");
        LlamaConfig c = parse("""
                {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "eos_token_id": 2}""");
        assertEquals(List.of(2, 7), c.withGenerationConfig(generationConfig).eosTokenIds());
        assertEquals(c, c.withGenerationConfig(tmp.resolve("absent.json")));
    }

    @Test
    void qwen2HasQkvBiasButNoOutputBias() throws Exception {
        LlamaConfig c = parse("""
                {"model_type": "qwen2", "vocab_size": 80, "hidden_size": 48, "intermediate_size": 128,
                 "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 1, "eos_token_id": 2,
                 "sliding_window": 4096, "use_sliding_window": false}""");
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertEquals(0, c.slidingWindow());
        assertEquals(List.of(2), c.eosTokenIds());
    }

    @Test
    void mistralKeepsItsSlidingWindow() throws Exception {
        LlamaConfig c = parse("""
                {"model_type": "mistral", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 14336,
                 "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "sliding_window": 4096}""");
        assertEquals(4096, c.slidingWindow());
    }

    @Test
    void unsupportedArchitecturesAndActivationsFailWithTheirValue() {
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "gpt2", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2}"""));
        assertTrue(type.getMessage().contains("gpt2"), type.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "llama", "hidden_act": "gelu", "vocab_size": 10, "hidden_size": 8,
                 "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2}"""));
        assertTrue(act.getMessage().contains("gelu"), act.getMessage());
        IllegalArgumentException rope = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "phi3", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "rope_scaling": {"type": "dynamic", "factor": 2.0}}"""));
        assertTrue(rope.getMessage().contains("dynamic"), rope.getMessage());
    }

    @Test
    void unsupportedKeysFailNamingTheKey() {
        IllegalArgumentException quantized = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "quantization_config": {"quant_method": "awq"}}"""));
        assertTrue(quantized.getMessage().contains("quantization_config"), quantized.getMessage());
        IllegalArgumentException mscale = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "qwen2", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2,
                 "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "mscale": 0.707}}"""));
        assertTrue(mscale.getMessage().contains("rope_scaling.mscale"), mscale.getMessage());
        IllegalArgumentException factors = assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "phi3", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "original_max_position_embeddings": 4,
                 "rope_scaling": {"type": "longrope", "short_factor": [1.0], "long_factor": [1.0, 2.0]}}"""));
        assertTrue(factors.getMessage().contains("rope_scaling.short_factor"), factors.getMessage());
    }

    @Test
    void phi35ConfigReadsLongRopeWithTheAttentionFactorFromTheContextRatio() throws Exception {
        String shortFactors = "1.0,".repeat(47) + "1.0";
        String longFactors = "2.0,".repeat(47) + "3.0";
        LlamaConfig c = parse("""
                {"model_type": "phi3", "vocab_size": 32064, "hidden_size": 3072, "intermediate_size": 8192,
                 "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
                 "max_position_embeddings": 131072, "original_max_position_embeddings": 4096,
                 "rope_scaling": {"type": "longrope", "short_factor": [%s], "long_factor": [%s]},
                 "sliding_window": 262144}""".formatted(shortFactors, longFactors));
        LlamaConfig.LongRope rope = (LlamaConfig.LongRope) c.ropeScaling();
        assertEquals(4096, rope.originalMaxPositionEmbeddings());
        assertEquals(Math.sqrt(1 + Math.log(32) / Math.log(4096)), rope.attentionFactor(), 1e-12);
        assertEquals(3.0, rope.longFactor().get(47));
        assertEquals(96, c.rotaryDim());
        assertEquals(c, LlamaConfig.fromJson(c.toJson()));
    }

    @Test
    void partialRotaryFactorAndHeadDimAreReadApart() throws Exception {
        LlamaConfig c = parse("""
                {"model_type": "phi3", "vocab_size": 200064, "hidden_size": 3072, "intermediate_size": 8192,
                 "num_hidden_layers": 32, "num_attention_heads": 24, "num_key_value_heads": 8, "head_dim": 128,
                 "partial_rotary_factor": 0.75}""");
        assertEquals(128, c.headDim());
        assertEquals(96, c.rotaryDim());
        assertEquals(c, LlamaConfig.fromJson(c.toJson()));
    }
}
