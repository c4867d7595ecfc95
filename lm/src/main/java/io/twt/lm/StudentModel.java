package io.twt.lm;

import java.nio.file.Path;
import java.util.List;

/**
 * The student language model: a Hugging Face checkpoint (llama, mistral, qwen2, phi3) on DJL's PyTorch engine,
 * optionally with a PEFT LoRA adapter, its tokenizer, generation, and saving. Not thread-safe: one thread
 * generates or trains at a time.
 */
public final class StudentModel implements AutoCloseable {

    private StudentModel() {
    }

    /** Loads config.json, the safetensors weights and tokenizer.json of modelDir, plus a PEFT adapter if given. */
    public static StudentModel load(Path modelDir, Path adapterDirOrNull) {
        throw new UnsupportedOperationException("being implemented");
    }

    public LlamaConfig config() {
        throw new UnsupportedOperationException("being implemented");
    }

    /** The adapter's settings, or null when the model runs without LoRA. */
    public LoraConfig adapterConfig() {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Tokens of text as the model sees it (no special tokens added). */
    public int countTokens(String text) {
        throw new UnsupportedOperationException("being implemented");
    }

    public List<Generation> generate(List<String> prompts, GenerationConfig config) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Logits of the base model (plus adapter), one [vocab] row per position: [batch][position][vocab]. */
    public float[][][] logits(long[][] inputIds) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Writes the LoRA adapter in PEFT layout (adapter_config.json, adapter_model.safetensors). */
    public void saveAdapter(Path dir) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Writes a Hugging Face checkpoint with the adapter merged into the weights, plus the tokenizer files. */
    public void saveMerged(Path dir) {
        throw new UnsupportedOperationException("being implemented");
    }

    @Override
    public void close() {
    }
}
