package io.twt.lm.config;

/**
 * The size of a Llama-style model made from nothing ({@link ModelFactory}); the tokenizer learnt for the corpus
 * decides the final vocabulary size, up to {@code maxVocabSize}.
 */
public record ModelShape(int maxVocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                         int numKvHeads, int maxPositionEmbeddings) {

    public ModelShape {
        if (hiddenSize % numHeads != 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("hidden " + hiddenSize + ", heads " + numHeads + ", kv heads "
                    + numKvHeads + ": hidden must divide by heads and heads by kv heads");
        }
        if (maxVocabSize < 300) {
            throw new IllegalArgumentException("maxVocabSize must leave room for 256 bytes and specials, got " + maxVocabSize);
        }
    }

    /** ~0.9M parameters (tied head) with a 1k vocabulary: trains a few hundred short examples in seconds on 2 cores. */
    public static ModelShape tiny() {
        return new ModelShape(1024, 128, 344, 4, 4, 2, 1024);
    }

    /**
     * The lab's pretrained base student (~1.8M parameters, tied head): the largest shape measured to pretrain in
     * 10 minutes on 2 cores and then learn the lab's code tasks answer-only (lab/README.md has the runs).
     */
    public static ModelShape labBase() {
        return new ModelShape(1024, 192, 512, 4, 6, 3, 1024);
    }

    /** DESIGN.md's benchmark configuration (hidden 512, 6 layers, 8/4 heads, 8000 vocabulary): 21.5M parameters with the tied head. */
    public static ModelShape small() {
        return new ModelShape(8000, 512, 1376, 6, 8, 4, 2048);
    }
}
