package io.twt.lm.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The hyperparameters of a Llama-family decoder, read from a Hugging Face {@code config.json} (llama3.java's
 * Configuration; key names and defaults as in transformers' LlamaConfig / MistralConfig / Qwen2Config /
 * Phi3Config). Anything this implementation cannot run fails here, naming the key and its value.
 *
 * @param modelType             llama, mistral, qwen2 or phi3
 * @param qkvBias               q/k/v projections carry a bias (qwen2 always; llama when attention_bias)
 * @param outputBias            o_proj carries a bias (llama's attention_bias only)
 * @param headDim               per-head width; hidden_size / num_attention_heads unless config.json says
 * @param rotaryDim             leading channels of each head that RoPE rotates: head_dim * partial_rotary_factor
 * @param ropeScaling           rope_scaling (llama3, linear, yarn or longrope), or null for plain RoPE
 * @param slidingWindow         attention span of mistral-style sliding windows, or 0 for full attention
 * @param eosTokenIds           every token id that ends a generation (config.json allows an int or a list)
 */
public record LlamaConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int numLayers,
                          int numHeads, int numKvHeads, int headDim, int rotaryDim, double rmsNormEps, double ropeTheta,
                          RopeScaling ropeScaling, int maxPositionEmbeddings, boolean tieWordEmbeddings,
                          boolean qkvBias, boolean outputBias, int slidingWindow, int bosTokenId,
                          List<Integer> eosTokenIds, int padTokenId) {

    public static final Set<String> MODEL_TYPES = Set.of("llama", "mistral", "qwen2", "phi3");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** config.json keys that change the model's math in ways this implementation does not run. */
    private static final List<String> UNSUPPORTED_KEYS = List.of("quantization_config", "use_qk_norm",
            "qk_layernorm", "attn_logit_softcapping", "final_logit_softcapping", "layer_types", "no_rope_layers");

    /** rope_scaling as transformers' modeling_rope_utils reads it; {@link io.twt.lm.model.RopeTable} applies it. */
    public sealed interface RopeScaling {
    }

    /**
     * Llama 3's rope_scaling: wavelengths longer than original_max / low_freq_factor are divided by factor,
     * shorter than original_max / high_freq_factor kept, and smoothly interpolated in between.
     */
    public record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
            implements RopeScaling {
    }

    /** Position interpolation: every inverse frequency divided by factor. */
    public record LinearScaling(double factor) implements RopeScaling {
    }

    /**
     * YaRN (Qwen2.5's long context): frequencies interpolated by factor below the beta_slow correction dimension,
     * kept above beta_fast, ramped in between; cos and sin scaled by attentionFactor.
     */
    public record Yarn(double factor, int originalMaxPositionEmbeddings, double attentionFactor, double betaFast,
                       double betaSlow) implements RopeScaling {
    }

    /**
     * LongRoPE (Phi-3/3.5/4-mini): inverse frequencies divided per channel by short_factor while the sequence fits
     * original_max_position_embeddings, by long_factor past it; cos and sin scaled by attentionFactor.
     */
    public record LongRope(List<Double> shortFactor, List<Double> longFactor, int originalMaxPositionEmbeddings,
                           double attentionFactor) implements RopeScaling {
        public LongRope {
            shortFactor = List.copyOf(shortFactor);
            longFactor = List.copyOf(longFactor);
        }
    }

    public LlamaConfig {
        if (!MODEL_TYPES.contains(modelType)) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not supported; expected one of " + MODEL_TYPES);
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (rotaryDim % 2 != 0 || rotaryDim < 2 || rotaryDim > headDim) {
            throw new IllegalArgumentException("rotary dimension (head_dim * partial_rotary_factor) must be even and"
                    + " in [2, head_dim " + headDim + "], got " + rotaryDim);
        }
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public static LlamaConfig read(Path configJson) {
        try {
            return fromJson(JSON.readTree(configJson.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configJson, e);
        }
    }

    public static LlamaConfig fromJson(JsonNode c) {
        String modelType = c.path("model_type").asText("");
        for (String key : UNSUPPORTED_KEYS) {
            JsonNode value = c.path(key);
            if (!value.isMissingNode() && !value.isNull() && !(value.isBoolean() && !value.asBoolean())) {
                throw new IllegalArgumentException("config.json key '" + key + "' (" + value + ") is not supported");
            }
        }
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("hidden_act '" + act + "' is not supported; expected silu");
        }
        int hidden = required(c, "hidden_size");
        int heads = required(c, "num_attention_heads");
        int kvHeads = c.path("num_key_value_heads").isNumber() ? c.get("num_key_value_heads").asInt() : heads;
        int headDim = c.path("head_dim").isNumber() ? c.get("head_dim").asInt() : hidden / heads;
        // transformers truncates: int(head_dim * partial_rotary_factor)
        int rotaryDim = (int) (headDim * c.path("partial_rotary_factor").asDouble(1.0));
        boolean attentionBias = c.path("attention_bias").asBoolean(false);
        boolean qkvBias = modelType.equals("qwen2") || attentionBias;
        if (c.path("mlp_bias").asBoolean(false)) {
            throw new IllegalArgumentException("mlp_bias true is not supported");
        }
        int slidingWindow = 0;
        boolean slidingUsed = switch (modelType) {
            case "qwen2" -> c.path("use_sliding_window").asBoolean(false);
            case "mistral", "phi3" -> true;
            default -> false;
        };
        if (slidingUsed && c.path("sliding_window").isNumber()) {
            slidingWindow = c.get("sliding_window").asInt();
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = c.path("eos_token_id");
        if (eosNode.isArray()) {
            eosNode.forEach(id -> eos.add(id.asInt()));
        } else if (eosNode.isNumber()) {
            eos.add(eosNode.asInt());
        }
        return new LlamaConfig(modelType, required(c, "vocab_size"), hidden, required(c, "intermediate_size"),
                required(c, "num_hidden_layers"), heads, kvHeads, headDim, rotaryDim,
                c.path("rms_norm_eps").asDouble(1e-6), c.path("rope_theta").asDouble(10000.0),
                ropeScaling(c, rotaryDim), c.path("max_position_embeddings").asInt(2048), c.path("tie_word_embeddings").asBoolean(false),
                qkvBias, attentionBias && !modelType.equals("qwen2"), slidingWindow,
                c.path("bos_token_id").asInt(-1), eos, c.path("pad_token_id").asInt(-1));
    }

    private static RopeScaling ropeScaling(JsonNode c, int rotaryDim) {
        JsonNode s = c.path("rope_scaling");
        if (s.isMissingNode() || s.isNull()) {
            return null;
        }
        String type = s.has("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("");
        int maxPositions = c.path("max_position_embeddings").asInt(2048);
        return switch (type) {
            case "default" -> null;
            case "linear" -> new LinearScaling(requiredDouble(s, "factor"));
            case "llama3" -> new Llama3(s.path("factor").asDouble(8.0), s.path("low_freq_factor").asDouble(1.0),
                    s.path("high_freq_factor").asDouble(4.0), s.path("original_max_position_embeddings").asInt(8192));
            case "yarn" -> {
                for (String key : List.of("mscale", "mscale_all_dim")) {
                    if (s.path(key).isNumber()) {
                        throw new IllegalArgumentException("rope_scaling." + key + " (yarn) is not supported");
                    }
                }
                if (!s.path("truncate").asBoolean(true)) {
                    throw new IllegalArgumentException("rope_scaling.truncate false (yarn) is not supported");
                }
                double factor = requiredDouble(s, "factor");
                yield new Yarn(factor, s.path("original_max_position_embeddings").asInt(maxPositions),
                        s.path("attention_factor").isNumber() ? s.get("attention_factor").asDouble()
                                : factor <= 1.0 ? 1.0 : 0.1 * Math.log(factor) + 1.0,
                        s.path("beta_fast").asDouble(32), s.path("beta_slow").asDouble(1));
            }
            case "longrope" -> {
                // Phi3 keeps the pretrained length at the top level; the scaling factor is the ratio of the two
                int original = c.path("original_max_position_embeddings").asInt(maxPositions);
                double factor = (double) maxPositions / original;
                double attention = s.path("attention_factor").isNumber() ? s.get("attention_factor").asDouble()
                        : factor <= 1.0 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
                yield new LongRope(factors(s, "short_factor", rotaryDim), factors(s, "long_factor", rotaryDim),
                        original, attention);
            }
            default -> throw new IllegalArgumentException("rope_scaling type '" + type
                    + "' is not supported; expected llama3, linear, yarn or longrope");
        };
    }

    private static List<Double> factors(JsonNode s, String key, int rotaryDim) {
        JsonNode list = s.path(key);
        if (!list.isArray() || list.size() != rotaryDim / 2) {
            throw new IllegalArgumentException("rope_scaling." + key + " must list rotary_dim / 2 = " + rotaryDim / 2
                    + " numbers, got " + list);
        }
        List<Double> out = new ArrayList<>();
        list.forEach(f -> out.add(f.asDouble()));
        return out;
    }

    private static double requiredDouble(JsonNode s, String key) {
        if (!s.path(key).isNumber()) {
            throw new IllegalArgumentException("rope_scaling has no numeric '" + key + "'");
        }
        return s.get(key).asDouble();
    }

    private static int required(JsonNode c, String key) {
        if (!c.path(key).isNumber()) {
            throw new IllegalArgumentException("config.json has no numeric '" + key + "'");
        }
        return c.get(key).asInt();
    }

    /** The config.json transformers writes for this configuration (fp32 weights). */
    public ObjectNode toJson() {
        ObjectNode c = JSON.createObjectNode();
        String architecture = switch (modelType) {
            case "llama" -> "LlamaForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "Phi3ForCausalLM";
        };
        c.putArray("architectures").add(architecture);
        c.put("model_type", modelType);
        c.put("hidden_act", "silu");
        c.put("vocab_size", vocabSize);
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_hidden_layers", numLayers);
        c.put("num_attention_heads", numHeads);
        c.put("num_key_value_heads", numKvHeads);
        if (headDim != hiddenSize / numHeads) {
            c.put("head_dim", headDim);
        }
        c.put("rms_norm_eps", rmsNormEps);
        c.put("rope_theta", ropeTheta);
        if (rotaryDim != headDim) {
            c.put("partial_rotary_factor", (double) rotaryDim / headDim);
        }
        putRopeScaling(c);
        c.put("max_position_embeddings", maxPositionEmbeddings);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        if (!modelType.equals("qwen2")) {
            c.put("attention_bias", qkvBias);
        }
        if (slidingWindow > 0) {
            c.put("sliding_window", slidingWindow);
            if (modelType.equals("qwen2")) {
                c.put("use_sliding_window", true);
            }
        }
        c.put("bos_token_id", bosTokenId);
        if (eosTokenIds.size() == 1) {
            c.put("eos_token_id", eosTokenIds.get(0));
        } else {
            ArrayNode eos = c.putArray("eos_token_id");
            eosTokenIds.forEach(eos::add);
        }
        if (padTokenId >= 0) {
            c.put("pad_token_id", padTokenId);
        }
        c.put("torch_dtype", "float32");
        return c;
    }

    private void putRopeScaling(ObjectNode c) {
        if (ropeScaling == null) {
            c.putNull("rope_scaling");
            return;
        }
        ObjectNode s = c.putObject("rope_scaling");
        switch (ropeScaling) {
            case Llama3 l -> {
                s.put("rope_type", "llama3");
                s.put("factor", l.factor());
                s.put("low_freq_factor", l.lowFreqFactor());
                s.put("high_freq_factor", l.highFreqFactor());
                s.put("original_max_position_embeddings", l.originalMaxPositionEmbeddings());
            }
            case LinearScaling l -> {
                s.put("rope_type", "linear");
                s.put("factor", l.factor());
            }
            case Yarn y -> {
                s.put("rope_type", "yarn");
                s.put("factor", y.factor());
                s.put("original_max_position_embeddings", y.originalMaxPositionEmbeddings());
                s.put("attention_factor", y.attentionFactor());
                s.put("beta_fast", y.betaFast());
                s.put("beta_slow", y.betaSlow());
            }
            case LongRope l -> {
                s.put("rope_type", "longrope");
                l.shortFactor().forEach(s.putArray("short_factor")::add);
                l.longFactor().forEach(s.putArray("long_factor")::add);
                s.put("attention_factor", l.attentionFactor());
                c.put("original_max_position_embeddings", l.originalMaxPositionEmbeddings());
            }
        }
    }

    public void write(Path configJson) {
        try {
            Files.writeString(configJson, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configJson, e);
        }
    }

    /**
     * This configuration with the eos ids of a {@code generation_config.json} added: transformers' generate() stops
     * at those, and some checkpoints list their chat end token only there.
     */
    public LlamaConfig withGenerationConfig(Path generationConfigJson) {
        if (!Files.exists(generationConfigJson)) {
            return this;
        }
        JsonNode eosNode;
        try {
            eosNode = JSON.readTree(generationConfigJson.toFile()).path("eos_token_id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + generationConfigJson, e);
        }
        List<Integer> eos = new ArrayList<>(eosTokenIds);
        for (JsonNode id : eosNode.isArray() ? eosNode : List.of(eosNode)) {
            if (id.isNumber() && !eos.contains(id.asInt())) {
                eos.add(id.asInt());
            }
        }
        return new LlamaConfig(modelType, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads,
                headDim, rotaryDim, rmsNormEps, ropeTheta, ropeScaling, maxPositionEmbeddings, tieWordEmbeddings, qkvBias,
                outputBias, slidingWindow, bosTokenId, eos, padTokenId);
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }
}
