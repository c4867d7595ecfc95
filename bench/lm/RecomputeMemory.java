import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.train.TokenizedExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peak resident memory of one LoRA step (B2 x 1024 random tokens) of a random 8-layer model (hidden 256, 8 heads),
 * plain or with activation recomputation and attention in query chunks: run each mode in its own JVM, as
 *   java -cp 'lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar' bench/lm/RecomputeMemory.java DIR plain 0
 *   java -cp 'lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar' bench/lm/RecomputeMemory.java DIR recompute 128
 * and compare with `lm plan --model DIR --batch 2 --max-length 1024 [--attention-chunk 128 --recompute]`.
 */
public class RecomputeMemory {

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        boolean recompute = a[1].equals("recompute");
        int chunk = Integer.parseInt(a[2]);
        int length = 1024;
        if (!Files.exists(dir.resolve("config.json"))) {
            List<String> corpus = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                corpus.add("word" + i + " thing " + (i * 7 % 13) + " kind");
            }
            ModelFactory.createRandom(dir, new ModelShape(512, 256, 688, 8, 8, 4, 2048), corpus, 1L);
        }
        try (StudentModel model = StudentModel.load(dir, null)) {
            SplittableRandom random = new SplittableRandom(1);
            List<TokenizedExample> data = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long[] ids = new long[length];
                for (int t = 0; t < length; t++) {
                    ids[t] = random.nextInt(model.config().vocabSize());
                }
                data.add(new TokenizedExample(ids, 1));
            }
            TrainingConfig config = TrainingConfig.builder().batchSize(2).epochs(1).maxLength(length).warmupRatio(0)
                    .recompute(recompute).attentionChunk(chunk).build();
            long started = System.nanoTime();
            new SftTrainer(model, config).trainTokenized(data, p -> { });
            String peak = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM")).findFirst().orElseThrow();
            System.out.printf("%s chunk %d: peak RSS %s, step %.1f s%n", a[1], chunk, peak.replaceAll("VmHWM:\\s+", ""),
                    (System.nanoTime() - started) / 1e9);
        }
    }
}
