package io.twt.embedding.domain;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which sentence-transformers model to run and how.
 *
 * @param modelName    the name written into every {@code RationaleEmbedding.model}
 * @param modelPath    a local directory with the model file ({@code *.onnx}, or one TorchScript {@code *.pt}) and
 *                     {@code tokenizer.json}; empty with no URL means the bundled all-MiniLM-L6-v2
 * @param modelUrl     a DJL model zoo URL (e.g. {@code djl://ai.djl.huggingface.pytorch/sentence-transformers/all-mpnet-base-v2})
 * @param engine       the DJL engine: {@code OnnxRuntime} or {@code PyTorch}
 * @param maxTokens    window length in tokens, special tokens included (sentence-transformers' max_seq_length)
 * @param batchSize    at most this many windows per forward pass (BatchPlan decides the cuts)
 * @param tokenTypeIds whether the model takes token_type_ids; empty means: as the model declares (ONNX inputs,
 *                     {@code includeTokenTypes} in a TorchScript model's serving.properties), else no
 * @param cacheDir     where the bundled model is extracted
 * @param threads      intra-op threads (OnnxRuntime's session; libtorch's, fixed when it first loads in the JVM);
 *                     0 means one per core
 */
public record EncoderSettings(String modelName, Optional<Path> modelPath, Optional<String> modelUrl, String engine,
                              int maxTokens, int batchSize, Optional<Boolean> tokenTypeIds, Path cacheDir, int threads) {

    public EncoderSettings {
        if (maxTokens < 3) {
            throw new IllegalArgumentException("max tokens must leave room for text: " + maxTokens);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (one per core) or more: " + threads);
        }
        if (!SentenceEncoder.ONNX_RUNTIME.equals(engine) && !SentenceEncoder.PYTORCH.equals(engine)) {
            throw new IllegalArgumentException("engine must be " + SentenceEncoder.ONNX_RUNTIME + " or "
                    + SentenceEncoder.PYTORCH + ": " + engine);
        }
        if (modelPath.isPresent() && modelUrl.isPresent()) {
            throw new IllegalArgumentException("set a model path or a model URL, not both");
        }
    }

    /** The offline default: bundled all-MiniLM-L6-v2 on OnnxRuntime. */
    public static EncoderSettings bundledMiniLm(Path cacheDir, int batchSize) {
        return new EncoderSettings(BundledMiniLm.NAME, Optional.empty(), Optional.empty(), SentenceEncoder.ONNX_RUNTIME,
                BundledMiniLm.MAX_TOKENS, batchSize, Optional.empty(), cacheDir, 0);
    }
}
