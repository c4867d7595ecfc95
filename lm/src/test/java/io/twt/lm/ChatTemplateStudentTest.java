package io.twt.lm;

import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.ModelShape;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.tokenizer.BpeTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A checkpoint with a chat template is trained and prompted through it (one bos, the template's end of turn, no
 * second eos); one without keeps the plain StudentPrompt text with the tokenizer's bos and config.json's eos.
 */
class ChatTemplateStudentTest {

    private static final String PROMPT = "Problem: 2 + 3\nSolution:\n";
    private static final String COMPLETION = "#### 5";

    @TempDir
    static Path tmp;
    private static Path plain;
    private static Path chat;

    @BeforeAll
    static void createModels() throws IOException {
        plain = ModelFactory.createRandom(tmp.resolve("plain"), new ModelShape(400, 32, 64, 2, 2, 1, 128),
                SyntheticTask.corpus(), 9L);
        chat = tmp.resolve("chat");
        Files.createDirectories(chat);
        try (var files = Files.list(plain)) {
            for (Path file : files.toList()) {
                Files.copy(file, chat.resolve(file.getFileName()));
            }
        }
        Files.copy(Path.of("src/test/resources/chat/mistral-7b-instruct-v0.2/tokenizer_config.json"),
                chat.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void templatedPromptCarriesOneBosAndTheInstructionMarks() {
        try (StudentModel model = StudentModel.load(chat, null)) {
            long[] ids = model.promptIds(PROMPT);
            assertArrayEquals(model.encode("<s>[INST] " + PROMPT + " [/INST]", false), ids);
            assertEquals(BpeTrainer.BOS_ID, ids[0]);
            assertEquals(1, count(ids, BpeTrainer.BOS_ID));
        }
    }

    @Test
    void templatedCompletionEndsWithTheTemplatesEosOnce() {
        try (StudentModel model = StudentModel.load(chat, null)) {
            long[] ids = model.completionIds(PROMPT, COMPLETION);
            assertArrayEquals(model.encode(COMPLETION + "</s>", false), ids);
            assertEquals(BpeTrainer.EOS_ID, ids[ids.length - 1]);
            assertEquals(1, count(ids, BpeTrainer.EOS_ID));
        }
    }

    @Test
    void modelWithoutTemplateKeepsThePlainFormat() {
        try (StudentModel model = StudentModel.load(plain, null)) {
            assertArrayEquals(model.encode(PROMPT, true), model.promptIds(PROMPT));
            long[] text = model.encode(COMPLETION, false);
            long[] ids = model.completionIds(PROMPT, COMPLETION);
            assertArrayEquals(text, Arrays.copyOf(ids, text.length));
            assertEquals(text.length + 1, ids.length);
            assertEquals(BpeTrainer.EOS_ID, ids[text.length]);
        }
    }

    @Test
    void generationReadsTheTemplatedPrompt() {
        try (StudentModel model = StudentModel.load(chat, null)) {
            GenerationConfig greedy = GenerationConfig.greedy(8);
            long[] templated = model.generateTokens(List.of(model.promptIds(PROMPT)), greedy, g -> false).get(0).tokens();
            assertEquals(model.decode(templated), model.generate(PROMPT, greedy).text());
        }
    }

    @Test
    void trainingLossIsTheTemplatedCompletionsCrossEntropy() {
        try (StudentModel model = StudentModel.load(chat, null)) {
            double trainer = new SftTrainer(model, TrainingConfig.paperPreset()).loss(List.of(new SftExample(PROMPT, COMPLETION)));
            long[] prompt = model.encode("<s>[INST] " + PROMPT + " [/INST]", false);
            long[] completion = model.encode(COMPLETION + "</s>", false);
            assertEquals(crossEntropy(model, prompt, completion), trainer, 1e-4);
            double plain = crossEntropy(model, model.encode(PROMPT, true), model.completionIds(PROMPT, COMPLETION));
            assertNotEquals(plain, trainer, 1e-3);
        }
    }

    /** Mean -log p(completion token | everything before it), from the model's logits. */
    private static double crossEntropy(StudentModel model, long[] prompt, long[] completion) {
        long[] ids = new long[prompt.length + completion.length];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        float[][] logits = model.logits(new long[][] {ids})[0];
        double sum = 0;
        for (int i = prompt.length; i < ids.length; i++) {
            float[] row = logits[i - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (float x : row) {
                max = Math.max(max, x);
            }
            double z = 0;
            for (float x : row) {
                z += Math.exp(x - max);
            }
            sum += max + Math.log(z) - row[(int) ids[i]];
        }
        return sum / completion.length;
    }

    private static int count(long[] ids, long id) {
        return (int) Arrays.stream(ids).filter(x -> x == id).count();
    }
}
