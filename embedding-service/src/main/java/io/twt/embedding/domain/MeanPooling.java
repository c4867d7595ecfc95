package io.twt.embedding.domain;

import java.util.function.Function;

/** The one pooling this encoder computes; a model whose serving.properties asks for another is refused at load. */
final class MeanPooling {

    private MeanPooling() {
    }

    /**
     * djl-convert writes a sentence-transformers model's pooling and extra layers into serving.properties (absent:
     * mean, none); this encoder computes mean pooling over the transformer's output only.
     */
    static void require(String modelName, Function<String, String> property) {
        String pooling = property.apply("pooling");
        pooling = pooling == null ? "mean" : pooling;
        boolean extraModules = property.apply("dense") != null || property.apply("layerNorm") != null;
        if (!"mean".equals(pooling) || extraModules) {
            throw new IllegalStateException(modelName + ": serving.properties asks for pooling=" + pooling
                    + (extraModules ? " and a dense or layer-norm module" : "") + "; this encoder computes mean pooling only");
        }
    }
}
