package io.twt.lm;

import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.ModelShape;
import io.twt.lm.generate.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batched, cached and sampled generation agree with their simple counterparts; stop strings end text. */
class GenerationTest {

    @TempDir
    static Path tmp;
    private static Path tiny;

    @BeforeAll
    static void createModel() {
        tiny = ModelFactory.createRandom(tmp.resolve("tiny"), new ModelShape(400, 32, 64, 2, 2, 1, 128),
                SyntheticTask.corpus(), 9L);
    }

    @Test
    void leftPaddedBatchGeneratesWhatEachPromptGeneratesAlone() {
        List<long[]> prompts = List.of(new long[] {85, 18, 25, 58, 21, 78, 6, 6, 32}, new long[] {43, 14, 81},
                new long[] {7, 7, 7, 7, 7, 60});
        try (StudentModel model = StudentModel.load(Fixtures.dir("llama-tiny"), Fixtures.dir("llama-tiny").resolve("adapter"))) {
            for (boolean cached : new boolean[] {true, false}) {
                GenerationConfig config = GenerationConfig.greedy(10).withKvCache(cached);
                List<Generator.Output> batched = model.generateTokens(prompts, config, generated -> false);
                for (int i = 0; i < prompts.size(); i++) {
                    long[] alone = model.generateTokens(List.of(prompts.get(i)), config, generated -> false).get(0).tokens();
                    assertArrayEquals(alone, batched.get(i).tokens(), "prompt " + i + " kv cache " + cached);
                }
            }
        }
    }

    @Test
    void stopStringEndsTheTextBeforeIt() {
        try (StudentModel model = StudentModel.load(tiny, null)) {
            String prompt = "Item: apple\nKind:";
            Generation free = model.generate(prompt, GenerationConfig.greedy(24));
            assertEquals(Generation.FinishReason.LENGTH, free.finishReason());
            assertTrue(free.text().length() > 6, free.text());
            String stop = free.text().substring(3, 6);
            Generation stopped = model.generate(prompt, GenerationConfig.greedy(24).withStop(List.of(stop)));
            assertEquals(Generation.FinishReason.STOP, stopped.finishReason());
            assertEquals(free.text().substring(0, free.text().indexOf(stop)), stopped.text());
            assertTrue(stopped.outputTokens() < free.outputTokens());
        }
    }

    @Test
    void samplingIsReproducibleBySeedAndATinyNucleusIsGreedy() {
        try (StudentModel model = StudentModel.load(tiny, null)) {
            List<String> prompts = List.of("Item: apple\nKind:", "Word: saw\nKind:");
            GenerationConfig sampling = GenerationConfig.greedy(16).withSampling(1.5, 0.95, 123);
            List<Generation> first = model.generate(prompts, sampling);
            assertEquals(first, model.generate(prompts, sampling));
            assertNotEquals(first, model.generate(prompts, sampling.withSampling(1.5, 0.95, 124)));
            assertEquals(model.generate(prompts, GenerationConfig.greedy(16)),
                    model.generate(prompts, sampling.withSampling(1.0, 1e-9, 5)));
        }
    }

    @Test
    void outputTokensCountTheGeneratedTokens() {
        try (StudentModel model = StudentModel.load(tiny, null)) {
            Generation g = model.generate("Name: tram\nKind:", GenerationConfig.greedy(7));
            assertEquals(7, g.outputTokens());
            assertEquals(Generation.FinishReason.LENGTH, g.finishReason());
        }
    }
}
