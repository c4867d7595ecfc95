package io.twt.lm.load;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.io.SafetensorsShards;
import io.twt.lm.io.SafetensorsWriter;
import io.twt.lm.model.Linear;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.Tensors;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the base weights of a Hugging Face model folder. The one name-mapping table is
 * {@link LlamaModel#expectedShapes} (phi3's fused {@code qkv_proj} and {@code gate_up_proj} included as they are).
 */
public final class BaseWeights {

    private BaseWeights() {
    }

    public static LlamaModel load(Path modelDir, LlamaConfig config, NDManager manager) {
        Map<String, Shape> expected = LlamaModel.expectedShapes(config);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (SafetensorsShards files = SafetensorsShards.open(modelDir)) {
            Set<String> present = files.names();
            for (String name : present) {
                if (name.endsWith("rotary_emb.inv_freq") || (config.tieWordEmbeddings() && name.equals("lm_head.weight"))) {
                    continue; // recomputed / shared with the embedding, as transformers does
                }
                if (!expected.containsKey(name)) {
                    throw new IllegalArgumentException(modelDir + ": unexpected tensor " + name + " "
                            + new Shape(files.shape(name)) + " for model_type " + config.modelType());
                } else {
                    Shape shape = new Shape(files.shape(name));
                    if (!shape.equals(expected.get(name))) {
                        throw new IllegalArgumentException(modelDir + ": " + name + " has shape " + shape
                                + ", expected " + expected.get(name));
                    }
                    weights.put(name, persistent(files.load(name, manager)));
                }
            }
        }
        return new LlamaModel(config, weights, manager);
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    /**
     * Writes config.json and model.safetensors (float32, transformers' key names), with any LoRA adapter merged into
     * its projection.
     */
    public static void save(LlamaModel model, Path dir) {
        LlamaConfig config = model.config();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        NDList merged = new NDList();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) { // bf16 weights are written widened
            NDArray fp32 = Tensors.as(e.getValue(), DataType.FLOAT32);
            tensors.put(e.getKey(), fp32);
            if (fp32 != e.getValue()) {
                merged.add(fp32);
            }
        }
        for (Linear linear : model.projections()) {
            if (linear.loraA() != null) {
                NDArray weight = linear.mergedWeight();
                merged.add(weight);
                tensors.put(linear.name() + ".weight", weight);
            }
        }
        config.write(dir.resolve("config.json"));
        SafetensorsWriter.write(dir.resolve(SafetensorsShards.SINGLE), tensors, Map.of());
        merged.close();
    }
}
