import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.TrainingListener;
import io.twt.lm.TrainingResult;
import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageRun;
import io.twt.lm.stage.StageSpec;
import io.twt.lm.train.TokenizedExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * bench/lm/service-path.sh, training half: a round's stage as trainer-service's lm backend runs it ({@link StageRun}:
 * tokenization, the trainer's checkpoint interval, a progress line every 10 steps, the adapter or weights saved,
 * result.json) against the bench's loop alone ({@link SftTrainer#trainTokenized} on the same examples tokenized
 * beforehand, as bench/lm/LmBench.java trains), same model, shape, examples and settings. Rounds alternate; each
 * side's best is kept. Prints one JSON line.
 * Usage: ServicePath WORK_DIR tiny|lab-base BATCH SEQ STEPS ROUNDS
 */
public class ServicePath {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "gu",
            "be", "fi", "ho", "ju", "7", "3", "+", "="};

    public static void main(String[] a) throws Exception {
        Path work = Path.of(a[0]);
        ModelShape shape = a[1].equals("tiny") ? ModelShape.tiny() : ModelShape.labBase();
        int batch = Integer.parseInt(a[2]), seq = Integer.parseInt(a[3]), steps = Integer.parseInt(a[4]);
        int rounds = Integer.parseInt(a[5]);
        Random random = new Random(1);
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            corpus.add(words(random, 40));
        }
        Path model = work.resolve("model");
        if (!Files.exists(model.resolve("config.json"))) {
            ModelFactory.createRandom(model, shape, corpus, 1);
        }
        // examples of SEQ tokens or a few more (prompt and completion as the trainer renders them)
        List<SftExample> examples = new ArrayList<>();
        List<TokenizedExample> tokenized = new ArrayList<>();
        try (StudentModel student = StudentModel.load(model, null)) {
            while (examples.size() < batch * steps) {
                String prompt = "Question: " + words(random, 6);
                StringBuilder completion = new StringBuilder(words(random, 4));
                long[] p = student.promptIds(prompt);
                long[] c = student.completionIds(prompt, completion.toString());
                while (p.length + c.length < seq) {
                    completion.append(' ').append(words(random, 1));
                    c = student.completionIds(prompt, completion.toString());
                }
                long[] ids = new long[p.length + c.length];
                System.arraycopy(p, 0, ids, 0, p.length);
                System.arraycopy(c, 0, ids, p.length, c.length);
                examples.add(new SftExample(prompt, completion.toString()));
                tokenized.add(new TokenizedExample(ids, p.length));
            }
        }
        int maxLength = tokenized.stream().mapToInt(t -> t.ids().length).max().orElseThrow();
        StageSpec.Training training = new StageSpec.Training(1e-4, batch, 1, 1, 0.0, 0.1, 0.01, 1.0, maxLength, 1);
        double bestLoop = 0, bestStage = 0, bestStageWall = 0, bestLoopWall = 0;
        long tokens = 0;
        for (int round = 1; round <= rounds; round++) {
            // the bench's loop: the model loaded, then trainTokenized on tokens made beforehand
            long t0 = System.nanoTime();
            TrainingResult loop;
            try (StudentModel student = StudentModel.load(model, null)) {
                TrainingConfig config = TrainingConfig.builder().fullFineTuning().learningRate(1e-4).batchSize(batch)
                        .epochs(1).warmupRatio(0.0).minLrRatio(0.1).weightDecay(0.01).maxLength(maxLength).seed(1).build();
                loop = new SftTrainer(student, config).trainTokenized(tokenized, TrainingListener.none());
            }
            double loopWall = (System.nanoTime() - t0) / 1e9;
            // the stage as trainer-service's lm backend runs it
            Path stage = work.resolve("stage-" + round);
            StageSpec spec = new StageSpec(StageSpec.SCHEMA_VERSION, 1, 1, "twt", "twt-r1-s1",
                    new StageSpec.BaseModel(model.toString(), "twt/bench"), null, null, null, training,
                    new StageSpec.Memory("float32", 0, false), new StageSpec.Dataset(stage.resolve("train.jsonl").toString(),
                    "prompt-completion", examples.size()), stage.resolve("checkpoints").toString(), 20,
                    stage.resolve("out").toString());
            t0 = System.nanoTime();
            StageResult result = StageRun.run(spec, examples, p -> {
                if (p.step() % 10 == 0 || p.step() == p.totalSteps()) {
                    System.err.printf("stage step %d/%d loss %.4f %.0f tokens/s eta %s%n", p.step(), p.totalSteps(), p.loss(),
                            p.tokensPerSecond(), p.eta());
                }
            });
            double stageWall = (System.nanoTime() - t0) / 1e9;
            tokens = result.trainTokens();
            if (result.trainTokens() != loop.trainTokens()) {
                throw new IllegalStateException("the two paths trained on different tokens: " + result.trainTokens()
                        + " vs " + loop.trainTokens());
            }
            System.err.printf("round %d: loop %.1f tokens/s (%.1f with the load), stage %.1f tokens/s (%.1f with load and save)%n",
                    round, loop.trainTokens() / loop.seconds(), loop.trainTokens() / loopWall,
                    result.trainTokens() / result.seconds(), result.trainTokens() / stageWall);
            bestLoop = Math.max(bestLoop, loop.trainTokens() / loop.seconds());
            bestLoopWall = Math.max(bestLoopWall, loop.trainTokens() / loopWall);
            bestStage = Math.max(bestStage, result.trainTokens() / result.seconds());
            bestStageWall = Math.max(bestStageWall, result.trainTokens() / stageWall);
        }
        System.out.printf("{\"shape\": \"%s\", \"batch\": %d, \"seq\": %d, \"steps\": %d, \"tokens\": %d, \"loop_tokens_per_s\": %.1f,"
                        + " \"stage_tokens_per_s\": %.1f, \"loop_wall_tokens_per_s\": %.1f, \"stage_wall_tokens_per_s\": %.1f}%n",
                a[1], batch, seq, steps, tokens, bestLoop, bestStage, bestLoopWall, bestStageWall);
    }

    private static String words(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ");
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                s.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
        }
        return s.toString();
    }
}
