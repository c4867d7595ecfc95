import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.StudentModel;
import io.twt.lm.SftTrainer;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.train.TokenizedExample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Probe, lm side: makes a random lab-base-shaped Llama (the checkpoint torch_probe.py then loads), trains it on
 * make_probe.py's examples with SftTrainer, prints the loss every 50 steps and the held-out accuracy.
 * Usage: java -cp 'lm/target/lib/*:lm/target/lm-0.1.0-SNAPSHOT.jar' bench/learning/LmProbe.java
 *        MODEL_DIR DATA_DIR STEPS BATCH LR [make]
 */
public class LmProbe {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path data = Path.of(args[1]);
        int steps = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        double lr = Double.parseDouble(args[4]);
        List<TokenizedExample> train = read(data.resolve("train.jsonl"));
        List<TokenizedExample> held = read(data.resolve("eval.jsonl"));
        if (args.length > 5 && args[5].equals("make")) {
            List<String> corpus = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                corpus.add(text(train.get(i)));
            }
            ModelFactory.createRandom(model, ModelShape.labBase(), corpus, 1);
            System.out.println("made " + model);
            return;
        }
        try (StudentModel student = StudentModel.load(model, null)) {
            TrainingConfig config = TrainingConfig.builder().fullFineTuning().learningRate(lr).batchSize(batch)
                    .epochs(1).maxLength(64).warmupRatio(0.02).minLrRatio(0.1).weightDecay(0.01).seed(1).build();
            List<TokenizedExample> used = train.subList(0, steps * batch);
            new SftTrainer(student, config).trainTokenized(used, p -> {
                if (p.step() % 50 == 1 || p.step() == p.totalSteps()) {
                    System.out.printf("step %d loss %.4f%n", p.step(), p.loss());
                }
            });
            int right = 0;
            for (TokenizedExample e : held) {
                long[] prompt = java.util.Arrays.copyOf(e.ids(), e.promptLength());
                float[] last = student.logits(new long[][] {prompt})[0][prompt.length - 1];
                int best = 0;
                for (int v = 1; v < last.length; v++) {
                    if (last[v] > last[best]) {
                        best = v;
                    }
                }
                right += best == e.ids()[e.promptLength()] ? 1 : 0;
            }
            System.out.printf("lm held-out accuracy %.3f of %d%n", (double) right / held.size(), held.size());
        }
    }

    private static String text(TokenizedExample e) {
        StringBuilder s = new StringBuilder();
        for (long id : e.ids()) {
            s.append((char) id);
        }
        return s.toString();
    }

    private static List<TokenizedExample> read(Path file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<TokenizedExample> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = json.readTree(line);
            long[] ids = new long[n.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = n.get("ids").get(i).asLong();
            }
            out.add(new TokenizedExample(ids, n.get("prompt").asInt()));
        }
        return out;
    }
}
