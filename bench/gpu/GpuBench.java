import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.MemoryPlan;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.model.Linear;
import io.twt.lm.train.Batch;
import io.twt.lm.train.CausalLmLoss;
import io.twt.lm.train.TokenizedExample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * bench/gpu's checks (run by run.sh): the golden fixtures' logits in fp32 and with fp16 weights, one LoRA
 * forward/backward whose loss and gradients match the golden reference (CPU) and the CPU run (CUDA), recomputation
 * and query chunks against the plain pass, and on CUDA the peak memory of a LoRA step against the planner.
 * Prints one line per row: PASS / FAIL with the measured value and its bound, or SKIP with the reason.
 * usage: GpuBench SHARED_FIXTURES_DIR | GpuBench --memory MODEL_DIR
 */
public class GpuBench {

    // bounds: CPU fp32 is the fixtures' own (logits 1e-4, loss 1e-5, gradients 1e-3 of their scale); CUDA fp32 1e-3
    // (cuBLAS sums in another order); fp16 weights 0.01 (MemoryThatFitsTest measured 1.6e-3 / 3.5e-3 on CPU)
    static final double CUDA_LOGITS = 1e-3, FP16_LOGITS = 1e-2, CUDA_LOSS = 1e-4, CUDA_GRAD_REL = 1e-3, SAME = 1e-5;

    static int failures;

    public static void main(String[] a) throws Exception {
        if (a[0].equals("--memory")) { // after bench/lm's LmBench made the 0.5B-class checkpoint on this GPU
            memory(Path.of(a[1]));
            return;
        }
        Path fixtures = Path.of(a[0]);
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        String noCuda = "no CUDA device: DJL's PyTorch engine (libtorch " + Engine.getEngine("PyTorch").getVersion()
                + ") sees " + gpus + " GPUs";
        for (String fixture : new String[] {"llama-tiny", "qwen2-tiny"}) {
            JsonNode golden = new ObjectMapper().readTree(fixtures.resolve(fixture).resolve("golden.json").toFile());
            // 1) CPU: golden logits fp32 and fp16 weights, the LoRA step against the reference, recomputation
            Pass cpu;
            try (StudentModel model = load(fixtures, fixture, Device.cpu())) {
                row("cpu", fixture, "golden logits fp32 max|diff|", logitsDiff(model, golden), golden.at("/tolerance/logits_abs").asDouble());
                cpu = pass(model, golden, false);
                row("cpu", fixture, "LoRA step loss |diff| vs reference", Math.abs(cpu.loss - golden.at("/lora/loss").asDouble()),
                        golden.at("/tolerance/loss_abs").asDouble());
                row("cpu", fixture, "LoRA step: recompute + chunks vs plain, grad rel", relDiff(cpu.grads, recomputed(model, golden).grads), SAME);
                model.llama().castWeights(DataType.FLOAT16);
                row("cpu", fixture, "golden logits fp16 weights max|diff|", logitsDiff(model, golden), FP16_LOGITS);
            }
            // 2) CUDA: the same on the GPU, the LoRA step against the CPU run
            if (gpus == 0) {
                for (String what : new String[] {"golden logits fp32", "LoRA step loss and grads vs CPU", "golden logits fp16 weights"}) {
                    skip("cuda", fixture, what, noCuda);
                }
                continue;
            }
            try (StudentModel model = load(fixtures, fixture, Device.gpu())) {
                row("cuda", fixture, "golden logits fp32 max|diff|", logitsDiff(model, golden), CUDA_LOGITS);
                Pass gpu = pass(model, golden, false);
                row("cuda", fixture, "LoRA step loss |diff| vs CPU", Math.abs(gpu.loss - cpu.loss), CUDA_LOSS);
                row("cuda", fixture, "LoRA step grads rel diff vs CPU", relDiff(cpu.grads, gpu.grads), CUDA_GRAD_REL);
                model.llama().castWeights(DataType.FLOAT16);
                row("cuda", fixture, "golden logits fp16 weights max|diff|", logitsDiff(model, golden), FP16_LOGITS);
            }
        }
        System.out.println(failures == 0 ? "bench/gpu: all rows within bounds" : "bench/gpu: " + failures + " rows FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }

    record Pass(float loss, float[] grads) {
    }

    static StudentModel load(Path fixtures, String fixture, Device device) {
        return StudentModel.load(fixtures.resolve(fixture), fixtures.resolve(fixture).resolve("adapter"), device);
    }

    static double logitsDiff(StudentModel model, JsonNode golden) {
        long[][] ids = longs2(golden.get("input_ids"));
        float[][][] logits = model.logits(ids);
        double worst = 0;
        for (int b = 0; b < logits.length; b++) {
            for (int t = 0; t < logits[b].length; t++) {
                for (int v = 0; v < logits[b][t].length; v++) {
                    worst = Math.max(worst, Math.abs(logits[b][t][v] - golden.at("/lora/logits").get(b).get(t).get(v).asDouble()));
                }
            }
        }
        return worst;
    }

    static Pass recomputed(StudentModel model, JsonNode golden) {
        model.llama().attentionChunk(4);
        try {
            return pass(model, golden, true);
        } finally {
            model.llama().attentionChunk(0);
        }
    }

    /** One forward/backward on the fixture's LoRA labels: the loss and every LoRA gradient, flattened. */
    static Pass pass(StudentModel model, JsonNode golden, boolean recompute) {
        Batch batch = Batch.fromLabels(longs2(golden.get("input_ids")), longs2(golden.at("/lora/labels")));
        List<NDArray> lora = new ArrayList<>();
        for (Linear linear : model.llama().projections()) {
            if (linear.loraA() != null) {
                lora.add(linear.loraA());
                lora.add(linear.loraB());
            }
        }
        lora.forEach(p -> p.setRequiresGradient(true));
        try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            scope.suppressNotUsedWarning();
            float loss;
            if (recompute) {
                loss = CausalLmLoss.backwardRecomputed(model.llama(), batch, batch.targetTokens(), false, collector, 7);
            } else {
                NDArray value = CausalLmLoss.of(model.llama(), batch, batch.targetTokens(), false);
                collector.backward(value);
                loss = value.getFloat();
            }
            List<float[]> parts = new ArrayList<>();
            int n = 0;
            for (NDArray p : lora) {
                float[] g = p.getGradient().toFloatArray();
                parts.add(g);
                n += g.length;
                JniUtils.zeroGrad((PtNDArray) p);
            }
            float[] grads = new float[n];
            int at = 0;
            for (float[] g : parts) {
                System.arraycopy(g, 0, grads, at, g.length);
                at += g.length;
            }
            return new Pass(loss, grads);
        } finally {
            lora.forEach(p -> p.setRequiresGradient(false));
        }
    }

    /** max |a - b| / max |a|. */
    static double relDiff(float[] a, float[] b) {
        double scale = 0, worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst / scale;
    }

    static void memory(Path dir) {
        Device gpu = Device.gpu();
        TrainingConfig config = TrainingConfig.builder().batchSize(4).maxLength(512).epochs(1).warmupRatio(0)
                .dtype(DataType.FLOAT16).attentionChunk(128).recompute(true).build();
        LlamaConfig c = LlamaConfig.read(dir.resolve("config.json"));
        MemoryPlan plan = MemoryPlan.of(c, config);
        long before = CudaUtils.getGpuMemory(gpu).getUsed();
        try (StudentModel model = StudentModel.load(dir, null, gpu)) {
            SplittableRandom random = new SplittableRandom(3);
            List<TokenizedExample> data = new ArrayList<>();
            for (int i = 0; i < config.batchSize(); i++) {
                long[] ids = new long[config.maxLength()];
                for (int t = 0; t < ids.length; t++) {
                    ids[t] = random.nextInt(c.vocabSize());
                }
                data.add(new TokenizedExample(ids, 1));
            }
            new SftTrainer(model, config).trainTokenized(data, p -> { });
            // libtorch's caching allocator keeps the step's high-water blocks, so memory in use now is the peak's bound
            long used = CudaUtils.getGpuMemory(gpu).getUsed() - before;
            System.out.printf("ROW  cuda  0.5B        device memory after a LoRA step (B4 x 512, fp16, recompute, chunk 128): %.2f GiB,"
                    + " planner %.2f GiB, ratio %.2f (INFO: libtorch's cache and the CUDA context come on top of the plan)%n",
                    used / (double) (1L << 30), plan.total() / (double) (1L << 30), used / (double) plan.total());
        }
    }

    static void row(String device, String fixture, String what, double value, double bound) {
        boolean ok = value <= bound;
        failures += ok ? 0 : 1;
        System.out.printf("ROW  %-5s %-11s %-52s %.3e <= %.0e  %s%n", device, fixture, what, value, bound, ok ? "PASS" : "FAIL");
    }

    static void skip(String device, String fixture, String what, String why) {
        System.out.printf("SKIP %-5s %-11s %-52s (%s)%n", device, fixture, what, why);
    }

    static long[][] longs2(JsonNode node) {
        long[][] out = new long[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[node.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = node.get(i).get(j).asLong();
            }
        }
        return out;
    }
}
