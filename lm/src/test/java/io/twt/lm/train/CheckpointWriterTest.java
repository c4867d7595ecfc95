package io.twt.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointWriterTest {

    @TempDir
    Path root;

    @Test
    void aCheckpointHoldsTheValuesOfItsStepThoughTrainingChangesThemWhileItIsWritten() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1f, 2f, 3f});
            NDArray moment = manager.create(new float[] {0.5f});
            try (CheckpointWriter writer = new CheckpointWriter()) {
                writer.save(root, 7, Map.of("w", weight), Map.of("m", moment), new ObjectMapper().createObjectNode(), manager);
                weight.addi(100f); // the next optimizer step, in place
                moment.addi(100f);
            }
            TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(TrainingCheckpoints.latest(root).orElseThrow(), manager);
            assertArrayEquals(new float[] {1f, 2f, 3f}, loaded.trainable().get("w").toFloatArray());
            assertArrayEquals(new float[] {0.5f}, loaded.optimizer().get("m").toFloatArray());
        }
    }

    @Test
    void aFailedWriteSurfacesWhenTheWriterIsClosed() throws Exception {
        Path notADirectory = Files.writeString(root.resolve("file"), "x");
        try (NDManager manager = NDManager.newBaseManager()) {
            CheckpointWriter writer = new CheckpointWriter();
            writer.save(notADirectory, 1, Map.of("w", manager.create(new float[] {1f})), Map.of(),
                    new ObjectMapper().createObjectNode(), manager);
            assertThrows(RuntimeException.class, writer::close);
        }
    }
}
