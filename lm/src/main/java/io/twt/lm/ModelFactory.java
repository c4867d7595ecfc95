package io.twt.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.ModelShape;
import io.twt.lm.engine.Engines;
import io.twt.lm.load.BaseWeights;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.Tensors;
import io.twt.lm.tokenizer.BpeTrainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Makes a model from nothing: a byte-level BPE tokenizer learnt from a corpus and a randomly initialised Llama
 * decoder (nanoGPT's initialisation: normal(0, 0.02), the residual projections o_proj and down_proj scaled by
 * 1/sqrt(2 * layers), norms at 1), saved in Hugging Face layout (config.json, model.safetensors,
 * tokenizer.json, tokenizer_config.json, generation_config.json). The head is tied to the embedding, which
 * halves the parameters of a small model.
 */
public final class ModelFactory {

    static {
        Engines.offline();
    }

    private ModelFactory() {
    }

    /** Writes the new checkpoint into {@code dir} (created if needed) and returns it. */
    public static Path createRandom(Path dir, ModelShape shape, Collection<String> corpus, long seed) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        int vocabSize = BpeTrainer.train(corpus, shape.maxVocabSize(), dir.resolve("tokenizer.json"));
        LlamaConfig config = new LlamaConfig("llama", vocabSize, shape.hiddenSize(), shape.intermediateSize(),
                shape.numLayers(), shape.numHeads(), shape.numKvHeads(), shape.hiddenSize() / shape.numHeads(),
                shape.hiddenSize() / shape.numHeads(), 1e-5,
                10000.0, null, shape.maxPositionEmbeddings(), true, false, false, 0, BpeTrainer.BOS_ID,
                List.of(BpeTrainer.EOS_ID), BpeTrainer.PAD_ID);
        SplittableRandom random = new SplittableRandom(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * config.numLayers());
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : LlamaModel.expectedShapes(config).entrySet()) {
                String name = e.getKey();
                Shape s = e.getValue();
                float[] values = new float[Math.toIntExact(s.size())];
                if (name.endsWith("norm.weight")) {
                    Arrays.fill(values, 1f);
                } else if (!name.endsWith(".bias")) {
                    double std = name.contains("o_proj") || name.contains("down_proj") ? residualStd : 0.02;
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * std);
                    }
                }
                weights.put(name, Tensors.of(manager, values, s));
            }
            try (LlamaModel model = new LlamaModel(config, weights, manager.newSubManager())) {
                BaseWeights.save(model, dir);
            }
        }
        writeJson(dir.resolve("generation_config.json"), Map.of("bos_token_id", BpeTrainer.BOS_ID,
                "eos_token_id", BpeTrainer.EOS_ID, "pad_token_id", BpeTrainer.PAD_ID));
        writeJson(dir.resolve("tokenizer_config.json"), Map.of("bos_token", BpeTrainer.BOS, "eos_token", BpeTrainer.EOS,
                "pad_token", BpeTrainer.PAD, "model_max_length", shape.maxPositionEmbeddings(),
                "tokenizer_class", "PreTrainedTokenizerFast"));
        return dir;
    }

    private static void writeJson(Path file, Map<String, Object> values) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = json.valueToTree(new TreeMap<>(values));
        try {
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
