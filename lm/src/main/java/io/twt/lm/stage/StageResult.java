package io.twt.lm.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code result.json}, the last file an engine writes into a stage's output directory: its presence says the weights
 * beside it are complete.
 *
 * @param maxCompletionTokens the longest training completion in the student's tokens (it caps later generations);
 *                            null when the engine does not count it
 * @param resumedFrom         the optimizer step the run resumed from (0: from the start); null when unknown
 */
public record StageResult(long trainTokens, double meanLoss, double seconds, Integer maxCompletionTokens,
                          Integer resumedFrom) {

    public static final String FILE = "result.json";

    public static Optional<StageResult> readIfPresent(Path outputDir) {
        Path file = outputDir.resolve(FILE);
        return Files.isRegularFile(file) ? Optional.of(StageSpec.readJson(file, StageResult.class)) : Optional.empty();
    }

    public void write(Path outputDir) {
        StageSpec.writeJson(outputDir.resolve(FILE), this);
    }
}
