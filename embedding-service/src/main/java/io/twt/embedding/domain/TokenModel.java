package io.twt.embedding.domain;

import java.nio.file.Path;

/**
 * The transformer of a sentence-transformers model: token ids in, one vector per token out. Pooling, windows and
 * batching are the encoder's; this is one forward pass on one engine.
 */
interface TokenModel extends AutoCloseable {

    /** The directory the model was loaded from; its tokenizer.json is beside the model file. */
    Path directory();

    /** Whether the model declares a token_type_ids input (ONNX inputs, or serving.properties' includeTokenTypes). */
    boolean declaresTokenTypeIds();

    /**
     * One forward pass over {@code rows} windows padded to {@code seqLen} tokens.
     *
     * @param inputIds      (rows, seqLen) row-major; padding positions may hold any id
     * @param attentionMask (rows, seqLen): 1 for real tokens, 0 for padding
     * @param tokenTypeIds  whether to pass token_type_ids (all 0: one segment)
     * @return the last hidden state (rows, seqLen, dim) row-major, with its dim
     */
    HiddenStates forward(long[] inputIds, long[] attentionMask, int rows, int seqLen, boolean tokenTypeIds);

    @Override
    void close();

    /** The last hidden state of a pass, (rows, seqLen, dim) flattened row-major. */
    record HiddenStates(float[] values, int dim) {
    }
}
