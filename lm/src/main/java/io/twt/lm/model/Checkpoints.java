package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.LlamaConfig;
import io.twt.lm.io.CheckpointFiles;
import io.twt.lm.io.SafetensorsWriter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the base weights of a Hugging Face model folder. The one name-mapping table is
 * {@link LlamaModel#expectedShapes}; phi3's fused {@code qkv_proj} (rows q, then k, then v) and
 * {@code gate_up_proj} (rows gate, then up) are split into the separate projections while loading.
 */
public final class Checkpoints {

    private Checkpoints() {
    }

    public static LlamaModel load(Path modelDir, LlamaConfig config, NDManager manager) {
        Map<String, Shape> expected = LlamaModel.expectedShapes(config);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (CheckpointFiles files = CheckpointFiles.open(modelDir)) {
            Set<String> present = files.names();
            for (String name : present) {
                if (name.endsWith("rotary_emb.inv_freq") || (config.tieWordEmbeddings() && name.equals("lm_head.weight"))) {
                    continue; // recomputed / shared with the embedding, as transformers does
                }
                if (config.modelType().equals("phi3") && name.endsWith("self_attn.qkv_proj.weight")) {
                    String prefix = name.substring(0, name.length() - "qkv_proj.weight".length());
                    split(files, name, manager, weights, new long[] {config.qDim(), config.kvDim(), config.kvDim()},
                            prefix + "q_proj.weight", prefix + "k_proj.weight", prefix + "v_proj.weight");
                } else if (config.modelType().equals("phi3") && name.endsWith("mlp.gate_up_proj.weight")) {
                    String prefix = name.substring(0, name.length() - "gate_up_proj.weight".length());
                    split(files, name, manager, weights, new long[] {config.intermediateSize(), config.intermediateSize()},
                            prefix + "gate_proj.weight", prefix + "up_proj.weight");
                } else if (!expected.containsKey(name)) {
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

    private static void split(CheckpointFiles files, String fused, NDManager manager, Map<String, NDArray> into,
                              long[] rows, String... names) {
        long total = 0;
        for (long r : rows) {
            total += r;
        }
        long[] shape = files.shape(fused);
        if (shape.length != 2 || shape[0] != total) {
            throw new IllegalArgumentException(fused + " has shape " + new Shape(shape) + ", expected (" + total + ", in)");
        }
        long[] cuts = new long[rows.length - 1];
        for (int i = 0, at = 0; i < cuts.length; i++) {
            at += rows[i];
            cuts[i] = at;
        }
        try (NDArray whole = files.load(fused, manager)) {
            NDList parts = whole.split(cuts, 0);
            for (int i = 0; i < names.length; i++) {
                into.put(names[i], persistent(parts.get(i).duplicate()));
            }
            parts.close();
        }
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    /**
     * Writes config.json and model.safetensors (float32, transformers' key names; phi3 re-fused), with any LoRA
     * adapter merged into its projection.
     */
    public static void save(LlamaModel model, Path dir) {
        LlamaConfig config = model.config();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        NDList fused = new NDList();
        Map<String, NDArray> parameters = new LinkedHashMap<>(model.parameters());
        for (Linear linear : model.projections()) {
            if (linear.loraA() != null) {
                NDArray merged = linear.mergedWeight();
                fused.add(merged);
                parameters.put(linear.name() + ".weight", merged);
            }
        }
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            if (config.modelType().equals("phi3") && name.endsWith("self_attn.q_proj.weight")) {
                String prefix = name.substring(0, name.length() - "q_proj.weight".length());
                NDArray qk = e.getValue().concat(parameters.get(prefix + "k_proj.weight"), 0);
                NDArray qkv = qk.concat(parameters.get(prefix + "v_proj.weight"), 0);
                fused.add(qk);
                fused.add(qkv);
                tensors.put(prefix + "qkv_proj.weight", qkv);
            } else if (config.modelType().equals("phi3") && name.endsWith("mlp.gate_proj.weight")) {
                String prefix = name.substring(0, name.length() - "gate_proj.weight".length());
                NDArray gateUp = e.getValue().concat(parameters.get(prefix + "up_proj.weight"), 0);
                fused.add(gateUp);
                tensors.put(prefix + "gate_up_proj.weight", gateUp);
            } else if (!(config.modelType().equals("phi3") && (name.endsWith("self_attn.k_proj.weight")
                    || name.endsWith("self_attn.v_proj.weight") || name.endsWith("mlp.up_proj.weight")))) {
                tensors.put(name, e.getValue());
            }
        }
        config.write(dir.resolve("config.json"));
        SafetensorsWriter.write(dir.resolve(CheckpointFiles.SINGLE), tensors, Map.of());
        fused.close();
    }
}
