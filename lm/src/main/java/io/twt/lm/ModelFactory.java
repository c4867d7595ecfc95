package io.twt.lm;

import java.nio.file.Path;
import java.util.Collection;

/**
 * Makes a model from nothing: a byte-level BPE tokenizer learnt from a corpus and a randomly initialised Llama
 * decoder (GPT-2 / nanoGPT initialisation: normal(0, 0.02), residual projections scaled by 1/sqrt(2 * layers)),
 * saved in Hugging Face layout (config.json, model.safetensors, tokenizer.json, generation_config.json).
 */
public final class ModelFactory {

    private ModelFactory() {
    }

    /** Writes the new checkpoint into {@code dir} (created if needed) and returns it. */
    public static Path createRandom(Path dir, ModelShape shape, Collection<String> corpus, long seed) {
        throw new UnsupportedOperationException("being implemented");
    }
}
