package io.twt.embedding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.twt.embedding.domain.EncoderSettings;
import java.nio.file.Path;
import java.util.Optional;

/** {@code twt.embedding.*} settings (env {@code TWT_EMBEDDING_*}). */
@ConfigMapping(prefix = "twt.embedding")
public interface EmbeddingSettings {

    /** Written into every RationaleEmbedding; name the model you configure below. */
    @WithDefault("all-MiniLM-L6-v2")
    String modelName();

    /**
     * Local model directory: model.onnx or one TorchScript *.pt, and tokenizer.json (what djl-convert writes); with
     * no path and no URL, the bundled all-MiniLM-L6-v2.
     */
    Optional<Path> modelPath();

    /**
     * DJL model zoo URL, e.g. djl://ai.djl.huggingface.pytorch/sentence-transformers/all-mpnet-base-v2 with
     * engine=PyTorch; needs offline=false until the model is in DJL's cache (~/.djl.ai, or DJL_CACHE_DIR).
     */
    Optional<String> modelUrl();

    /** DJL engine: OnnxRuntime or PyTorch. */
    @WithDefault("OnnxRuntime")
    String engine();

    /** Window length in tokens with special tokens: sentence-transformers' max_seq_length (256 MiniLM, 384 mpnet). */
    @WithDefault("256")
    int maxTokens();

    /** At most this many windows per forward pass; passes are cut where padding would cost more than a call. */
    @WithDefault("64")
    int batchSize();

    /**
     * Whether the model takes token_type_ids; unset: as its ONNX inputs or serving.properties' includeTokenTypes
     * say, else no.
     */
    Optional<Boolean> tokenTypeIds();

    /** Where the bundled model is extracted. */
    @WithDefault("${java.io.tmpdir}/twt-models")
    Path cacheDir();

    /** Intra-op threads of OnnxRuntime or libtorch; 0 means one per core. */
    @WithDefault("0")
    int threads();

    /** DJL's ai.djl.offline: no downloads of engines or models at run time. */
    @WithDefault("true")
    boolean offline();

    default EncoderSettings settings() {
        return new EncoderSettings(modelName(), modelPath(), modelUrl(), engine(), maxTokens(), batchSize(),
                tokenTypeIds(), cacheDir(), threads());
    }
}
