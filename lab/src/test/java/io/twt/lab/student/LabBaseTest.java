package io.twt.lab.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.lm.config.GenerationConfig;
import io.twt.lm.StudentModel;
import io.twt.lm.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabBaseTest {

    @TempDir
    Path cache;

    @Test
    void isPretrainedOnceAndThenServedFromTheCacheUnderItsContentHash() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        TrainingListener counting = progress -> steps.incrementAndGet();
        Path dir = LabBase.ensure(cache, LabBaseSpec.smoke(), counting);
        int firstSteps = steps.get();
        assertTrue(firstSteps > 0, "the first call pretrains");
        assertEquals(LabBase.dirFor(cache, LabBaseSpec.smoke()), dir);
        assertTrue(dir.getFileName().toString().matches("lab-base-[0-9a-f]{16}"), dir.toString());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", LabBase.MANIFEST)) {
            assertTrue(Files.exists(dir.resolve(file)), file);
        }
        FileTime made = Files.getLastModifiedTime(dir.resolve("model.safetensors"));

        assertEquals(dir, LabBase.ensure(cache, LabBaseSpec.smoke(), counting));
        assertEquals(firstSteps, steps.get(), "the second call trains nothing");
        assertEquals(made, Files.getLastModifiedTime(dir.resolve("model.safetensors")));

        try (StudentModel model = StudentModel.load(dir, null)) {
            assertEquals(1, model.generate(List.of("Problem: Compute 2 + 3.\nSolution:\n"), GenerationConfig.greedy(4)).size());
        }
    }

    @Test
    void anotherSpecIsAnotherModel() {
        LabBaseSpec smoke = LabBaseSpec.smoke();
        LabBaseSpec longer = new LabBaseSpec(smoke.shape(), smoke.examples() * 2, smoke.epochs(), smoke.learningRate(),
                smoke.batchSize(), smoke.maxLength(), smoke.seed());
        assertNotEquals(LabBase.dirFor(cache, smoke), LabBase.dirFor(cache, longer));
        assertNotEquals(LabBase.dirFor(cache, smoke), LabBase.dirFor(cache, LabBaseSpec.standard()));
    }
}
