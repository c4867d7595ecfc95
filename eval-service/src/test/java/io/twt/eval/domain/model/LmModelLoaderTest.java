package io.twt.eval.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmModelLoaderTest {

    private static final List<String> CORPUS = List.of("Problem: 2 + 3\nSolution:\n#### 5", "Question: pick A\nSolution:\n#### A");

    private static final String WORD = "zebrazebrazebra";

    /** Token count of a word that only the fine-tuned checkpoint's tokenizer has learnt as one piece. */
    private static int tokens(LmModelLoader loader, Path base, Path weights) throws Exception {
        try (EvaluatedModel student = loader.load(base, weights, null)) {
            return student.countTokens(WORD);
        }
    }

    @Test
    void fullFineTunedWeightsReplaceTheBaseInsteadOfBeingReadAsAnAdapter(@TempDir Path dir) throws Exception {
        Path base = ModelFactory.createRandom(dir.resolve("base"), ModelShape.tiny(), CORPUS, 1L);
        List<String> fullCorpus = new java.util.ArrayList<>(CORPUS);
        fullCorpus.addAll(java.util.Collections.nCopies(50, WORD));
        Path full = ModelFactory.createRandom(dir.resolve("full"), ModelShape.tiny(), fullCorpus, 2L);
        LmModelLoader loader = new LmModelLoader();
        int asVersion = tokens(loader, base, full);
        assertEquals(tokens(loader, full, null), asVersion);
        assertNotEquals(tokens(loader, base, null), asVersion);
    }
}
