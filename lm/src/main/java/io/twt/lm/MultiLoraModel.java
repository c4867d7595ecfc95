package io.twt.lm;

import io.twt.lm.config.LlamaConfig;
import io.twt.lm.generate.Generator;
import io.twt.lm.model.Adapters;
import io.twt.lm.model.Linear;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One base model with any number of named PEFT adapters, as vLLM serves LoRA: the base weights are loaded once,
 * each adapter keeps its own A and B tensors, and a batch runs with the one adapter its requests name (or none).
 * Not thread-safe: one thread loads, unloads and generates (the server's batch thread).
 */
public final class MultiLoraModel implements AutoCloseable {

    private final StudentModel base;
    private final Map<String, Adapters.AdapterWeights> adapters = new LinkedHashMap<>();
    private final Map<String, Path> adapterDirs = new LinkedHashMap<>();

    private MultiLoraModel(StudentModel base) {
        this.base = base;
    }

    /** Loads the base model (config.json, weights, tokenizer.json) without an adapter. */
    public static MultiLoraModel load(Path modelDir) {
        return new MultiLoraModel(StudentModel.load(modelDir, null));
    }

    public LlamaConfig config() {
        return base.config();
    }

    public Path modelDir() {
        return base.modelDir();
    }

    /** Reads a PEFT adapter under a name; a bad adapter fails naming its file or tensor, and nothing is added. */
    public void addAdapter(String name, Path dir) {
        if (adapters.containsKey(name)) {
            throw new IllegalArgumentException("adapter '" + name + "' is already loaded");
        }
        adapters.put(name, Adapters.read(dir, base.llama()));
        adapterDirs.put(name, dir);
    }

    /** Frees an adapter's tensors; false when no adapter has that name. */
    public boolean removeAdapter(String name) {
        Adapters.AdapterWeights weights = adapters.remove(name);
        adapterDirs.remove(name);
        if (weights == null) {
            return false;
        }
        select(null);
        weights.close();
        return true;
    }

    /** Adapter names and the directories they were read from, in loading order. */
    public Map<String, Path> adapters() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(adapterDirs));
    }

    public boolean hasAdapter(String name) {
        return adapters.containsKey(name);
    }

    public long[] encode(String text, boolean withSpecialTokens) {
        return base.encode(text, withSpecialTokens);
    }

    public String decode(long[] ids) {
        return base.decode(ids);
    }

    /** Runs one batch with the named adapter, or the base model alone when adapterName is null. */
    public List<Generator.Output> generate(String adapterName, List<Generator.Row> rows) {
        select(adapterName);
        return base.generator().generate(rows, true);
    }

    /** The text of an output as {@link StudentModel#generate} gives it: decoded, cut before the first stop string. */
    public Generation generation(Generator.Output output, List<String> stop) {
        return base.generation(output, stop);
    }

    private void select(String adapterName) {
        if (adapterName == null) {
            for (Linear linear : base.llama().projections()) {
                linear.selectLora(null, null, 0);
            }
        } else {
            Adapters.AdapterWeights weights = adapters.get(adapterName);
            if (weights == null) {
                throw new IllegalArgumentException("no adapter '" + adapterName + "' is loaded");
            }
            weights.select(base.llama());
        }
    }

    @Override
    public void close() {
        select(null);
        adapters.values().forEach(Adapters.AdapterWeights::close);
        adapters.clear();
        base.close();
    }
}
