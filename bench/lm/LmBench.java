// The Java side of bench/lm (run by run.sh): training and generation throughput of the lm module on a random
// Llama checkpoint it writes, which torch_bench.py then loads, so both sides run the very same weights.
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.engine.NativeKernels;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.generate.Generator;
import io.twt.lm.load.BaseWeights;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.train.TokenizedExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

public class LmBench {

    private static final long WARM_UP_SECONDS = 3;

    /**
     * usage: LmBench DIR NAME VOCAB HIDDEN INTER LAYERS HEADS KV TIED BATCH SEQ TRAIN_STEPS PROMPT NEW_KV NEW_NOKV [MODE]
     * MODE write: the random checkpoint alone, into DIR; all (default): every figure of the checkpoint in DIR; train:
     * the training figure alone (omp-wait.sh). The checkpoint is written by a JVM of its own: making and freeing its
     * tensors left the process that did it 13-36% slower at everything measured after, the 2048^3 matmul included,
     * where a user's process loads a checkpoint from disk.
     */
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        String name = a[1];
        int vocab = Integer.parseInt(a[2]), hidden = Integer.parseInt(a[3]), inter = Integer.parseInt(a[4]);
        int layers = Integer.parseInt(a[5]), heads = Integer.parseInt(a[6]), kv = Integer.parseInt(a[7]);
        boolean tied = Boolean.parseBoolean(a[8]);
        int batch = Integer.parseInt(a[9]), seq = Integer.parseInt(a[10]), trainSteps = Integer.parseInt(a[11]);
        int prompt = Integer.parseInt(a[12]), newKv = Integer.parseInt(a[13]), newNoKv = Integer.parseInt(a[14]);
        String mode = a.length > 15 ? a[15] : "all";
        LlamaConfig config = new LlamaConfig("llama", vocab, hidden, inter, layers, heads, kv, hidden / heads, hidden / heads, 1e-5,
                10000.0, null, 4096, tied, false, false, 0, 1, List.of(), 0);
        long parameters = LlamaModel.expectedShapes(config).values().stream().mapToLong(Shape::size).sum();
        SplittableRandom random = new SplittableRandom(1);
        if (mode.equals("write")) {
            writeCheckpoint(config, dir, random);
            return;
        }

        // the kernels and OpenMP waiting a user's process gets (TWT_LM_KERNELS, TWT_LM_OMP_WAIT_POLICY from run.sh's candidates)
        String kernels = NativeKernels.prepare().path().label();
        try (StudentModel model = StudentModel.load(dir, null)) {
            if (mode.equals("train")) {
                System.out.printf("{\"side\": \"java\", \"config\": \"%s\", \"train_tokens_per_s\": %.1f}%n", name,
                        trainTokensPerSecond(model, random, vocab, batch, seq, trainSteps));
                return;
            }
            // 1) generation (before training changes the weights): one prompt, greedy, with and without the KV cache: best of several runs after a warm-up
            long[] promptIds = new long[prompt];
            for (int t = 0; t < prompt; t++) {
                promptIds[t] = random.nextInt(vocab);
            }
            // best of 5 (3 without the cache) after WARM_UP_SECONDS of runs, as torch_bench.py does: a long-lived
            // server's rate (the JIT compiles a decode step's Java over the first few hundred tokens)
            long warmUpEnd = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
            do {
                model.generateTokens(List.of(promptIds), GenerationConfig.greedy(newKv), g -> false);
            } while (System.nanoTime() < warmUpEnd);
            List<Generator.Output> cached = null;
            double kvSeconds = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                cached = model.generateTokens(List.of(promptIds), GenerationConfig.greedy(newKv), g -> false);
                kvSeconds = Math.min(kvSeconds, (System.nanoTime() - t0) / 1e9);
            }
            List<Generator.Output> plain = null;
            double noKvSeconds = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                plain = model.generateTokens(List.of(promptIds), GenerationConfig.greedy(newNoKv).withKvCache(false), g -> false);
                noKvSeconds = Math.min(noKvSeconds, (System.nanoTime() - t0) / 1e9);
            }

            // 2) prefill as generation does it: a training-shaped batch of prompts, one new token each, best of three
            List<long[]> prompts = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                long[] row = new long[seq - 1];
                for (int t = 0; t < row.length; t++) {
                    row[t] = random.nextInt(vocab);
                }
                prompts.add(row);
            }
            model.generateTokens(prompts, GenerationConfig.greedy(1), g -> false);
            double prefillSeconds = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                model.generateTokens(prompts, GenerationConfig.greedy(1), g -> false);
                prefillSeconds = Math.min(prefillSeconds, (System.nanoTime() - t0) / 1e9);
            }

            // 3) training
            double trainTokensPerSecond = trainTokensPerSecond(model, random, vocab, batch, seq, trainSteps);

            // 4) the engine's own fp32 matmul rate, 2048^3
            double gflops;
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.randomNormal(new Shape(2048, 2048));
                NDArray y = manager.randomNormal(new Shape(2048, 2048));
                x.matMul(y).close();
                int reps = 5;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    x.matMul(y).close();
                }
                gflops = 2.0 * 2048 * 2048 * 2048 * reps / ((System.nanoTime() - t0) / 1e9) / 1e9;
            }
            StringBuilder tokens = new StringBuilder();
            for (long id : cached.get(0).tokens()) {
                tokens.append(tokens.length() == 0 ? "" : ",").append(id);
            }
            System.out.printf("{\"side\": \"java\", \"config\": \"%s\", \"kernels\": \"%s\", \"parameters\": %d,"
                            + " \"train_tokens_per_s\": %.1f, \"prefill_tokens_per_s\": %.1f, \"gen_kv_tokens_per_s\": %.1f,"
                            + " \"gen_nokv_tokens_per_s\": %.1f, \"matmul_gflops\": %.1f, \"prompt\": \"%s\", \"greedy\": [%s]}%n",
                    name, kernels, parameters, trainTokensPerSecond, batch * (seq - 1) / prefillSeconds,
                    cached.get(0).tokens().length / kvSeconds, plain.get(0).tokens().length / noKvSeconds, gflops,
                    join(promptIds), tokens);
        }
    }

    /** A random checkpoint (no eos, so generation always runs its full length), as HF files in dir. */
    private static void writeCheckpoint(LlamaConfig config, Path dir, SplittableRandom random) throws Exception {
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : LlamaModel.expectedShapes(config).entrySet()) {
                float[] v = new float[Math.toIntExact(e.getValue().size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = e.getKey().endsWith("norm.weight") ? 1f : (float) (random.nextGaussian() * 0.08);
                }
                weights.put(e.getKey(), manager.create(v, e.getValue()));
            }
            try (LlamaModel model = new LlamaModel(config, weights, manager.newSubManager())) {
                BaseWeights.save(model, dir);
            }
        }
    }

    /** Full fine-tuning with AdamW on random token batches, the first step left out as warm-up. */
    private static double trainTokensPerSecond(StudentModel model, SplittableRandom random, int vocab, int batch, int seq,
                                               int trainSteps) {
        List<TokenizedExample> data = new ArrayList<>();
        for (int i = 0; i < batch * trainSteps; i++) {
            long[] ids = new long[seq];
            for (int t = 0; t < seq; t++) {
                ids[t] = random.nextInt(vocab);
            }
            data.add(new TokenizedExample(ids, 1));
        }
        TrainingConfig train = TrainingConfig.builder().fullFineTuning().learningRate(1e-4).batchSize(batch)
                .epochs(1).warmupRatio(0).maxLength(seq).seed(1).build();
        long[] firstStepDone = new long[1];
        new SftTrainer(model, train).trainTokenized(data, p -> {
            if (p.step() == 1) {
                firstStepDone[0] = System.nanoTime();
            }
        });
        double trainSeconds = (System.nanoTime() - firstStepDone[0]) / 1e9;
        return (double) batch * seq * (trainSteps - 1) / trainSeconds;
    }

    private static String join(long[] ids) {
        StringBuilder s = new StringBuilder();
        for (long id : ids) {
            s.append(s.length() == 0 ? "" : ",").append(id);
        }
        return s.toString();
    }
}
