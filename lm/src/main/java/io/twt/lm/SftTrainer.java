package io.twt.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.model.Adapters;
import io.twt.lm.model.Linear;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.NoGrad;
import io.twt.lm.train.AdamW;
import io.twt.lm.train.Batch;
import io.twt.lm.train.CausalLmLoss;
import io.twt.lm.train.LearningRate;
import io.twt.lm.train.Parameters;
import io.twt.lm.train.TaskMeans;
import io.twt.lm.train.TokenizedExample;
import io.twt.lm.train.CheckpointWriter;
import io.twt.lm.train.TrainingCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Supervised fine-tuning of a {@link StudentModel} on prompt/completion pairs (nanoGPT's train.py as one loop):
 * loss on completion tokens only (each task of a multi-task set averaged over its own tokens, {@link TaskMeans}), AdamW, warm-up then cosine decay, global-norm clipping, gradient
 * accumulation, checkpoints every N steps and resume from the newest one.
 */
public final class SftTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StudentModel model;
    private final TrainingConfig config;

    /** Takes the model to config's dtype and attention chunking (it keeps them for generation afterwards). */
    public SftTrainer(StudentModel model, TrainingConfig config) {
        this.model = model;
        this.config = config;
        NoGrad.call(() -> {
            model.llama().castWeights(config.dtype());
            return null;
        });
        model.llama().attentionChunk(config.attentionChunk());
    }

    /**
     * Trains the model in place. With LoRA: continues the model's adapter if it was loaded with one (fresh
     * optimizer state), else starts a new one from config.lora(). Without LoRA: trains every weight. An exception
     * thrown by the listener stops the run (the checkpoints written so far stay).
     */
    public TrainingResult train(List<SftExample> examples, TrainingListener listener) {
        return trainTokenized(tokenize(examples), listener);
    }

    /** {@link #train} on examples tokenized elsewhere (benchmarks, callers with their own tokenization). */
    public TrainingResult trainTokenized(List<TokenizedExample> data, TrainingListener listener) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        long started = System.nanoTime();
        LlamaModel llama = model.llama();
        int perStep = config.batchSize() * config.gradAccumulation();
        int stepsPerEpoch = (data.size() + perStep - 1) / perStep;
        int totalSteps = stepsPerEpoch * config.epochs();
        Map<String, NDArray> trainable = trainableParameters(llama);
        AdamW optimizer = new AdamW(trainable, config.weightDecay(), llama.manager());
        int firstStep = 0;
        long tokens = 0;
        double lastLoss = Double.NaN;
        double epochLossSum = 0; // over the current epoch's steps, for TrainingResult.meanLoss
        int epochSteps = 0;
        CheckpointWriter checkpoints = new CheckpointWriter();
        try {
            Optional<Path> checkpoint = config.resume() && config.checkpointDir() != null
                    ? TrainingCheckpoints.latest(config.checkpointDir()) : Optional.empty();
            if (checkpoint.isPresent()) {
                JsonNode state = restore(checkpoint.get(), trainable, optimizer, data.size(), totalSteps);
                firstStep = state.get("step").asInt();
                tokens = state.get("trainTokens").asLong();
                lastLoss = state.get("lastLoss").asDouble();
                epochLossSum = state.get("epochLossSum").asDouble();
                epochSteps = state.get("epochSteps").asInt();
                LOG.info("resuming from {} (step {}/{})", checkpoint.get(), firstStep, totalSteps);
            }
            trainable.values().forEach(p -> p.setRequiresGradient(true));
            long tokensThisRun = 0;
            for (int step = firstStep; step < totalSteps; step++) {
                // 1) this step's examples: a seeded shuffle per epoch, so a resumed run sees the same order
                int epoch = step / stepsPerEpoch;
                List<Integer> order = shuffled(data.size(), config.seed() + epoch);
                int from = (step % stepsPerEpoch) * perStep;
                List<TokenizedExample> stepExamples = new ArrayList<>();
                for (int i = from; i < Math.min(from + perStep, data.size()); i++) {
                    stepExamples.add(data.get(order.get(i)));
                }
                // each task averaged over its own completion tokens in the step (one task: the plain token mean)
                float[] tokenWeights = TaskMeans.tokenWeights(stepExamples);
                // 2) forward and backward per micro-batch; gradients add up in libtorch across them
                JniUtils.setSeed(config.seed() * 1_000_003L + step); // LoRA dropout masks, reproducible on resume
                double loss = 0;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    for (int b = 0; b < stepExamples.size(); b += config.batchSize()) {
                        int end = Math.min(b + config.batchSize(), stepExamples.size());
                        Batch batch = Batch.of(stepExamples.subList(b, end), padId(),
                                Arrays.copyOfRange(tokenWeights, b, end));
                        try (NDScope scope = new NDScope()) {
                            scope.suppressNotUsedWarning();
                            if (config.recompute()) {
                                loss += CausalLmLoss.backwardRecomputed(llama, batch, 1f, true, collector,
                                        config.seed() * 1_000_003L + step * 1_009L + b);
                            } else {
                                NDArray microLoss = CausalLmLoss.of(llama, batch, 1f, true);
                                collector.backward(microLoss);
                                loss += microLoss.getFloat();
                            }
                        }
                        tokens += batch.tokens();
                        tokensThisRun += batch.tokens();
                    }
                }
                // 3) clip to the global norm, update, zero the gradients
                double gradNorm = optimizer.gradientNorm();
                double lr = LearningRate.at(step, totalSteps, config.learningRate(), config.warmupRatio(), config.minLrRatio());
                NoGrad.call(() -> {
                    optimizer.step(lr, gradNorm, config.maxGradNorm());
                    return null;
                });
                // 4) report and checkpoint
                if (step / stepsPerEpoch != epochOf(step - 1, stepsPerEpoch)) {
                    epochLossSum = 0;
                    epochSteps = 0;
                }
                epochLossSum += loss;
                epochSteps++;
                lastLoss = loss;
                double seconds = (System.nanoTime() - started) / 1e9;
                int doneThisRun = step + 1 - firstStep;
                Duration eta = Duration.ofMillis((long) (seconds / doneThisRun * (totalSteps - step - 1) * 1000));
                TrainingProgress progress = new TrainingProgress(step + 1, totalSteps, epoch + 1, loss, lr, gradNorm,
                        tokensThisRun / seconds, eta);
                LOG.info("step {}/{} epoch {} loss {} lr {} grad-norm {} tokens/s {} eta {}", step + 1, totalSteps,
                        epoch + 1, String.format("%.4f", loss), String.format("%.2e", lr),
                        String.format("%.3f", gradNorm), String.format("%.0f", progress.tokensPerSecond()), eta);
                boolean last = step + 1 == totalSteps;
                if (config.checkpointDir() != null && (last
                        || (config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0))) {
                    ObjectNode state = JSON.createObjectNode();
                    state.put("trainTokens", tokens);
                    state.put("lastLoss", lastLoss);
                    state.put("epochLossSum", epochLossSum);
                    state.put("epochSteps", epochSteps);
                    saveCheckpoint(checkpoints, step + 1, trainable, optimizer, data.size(), totalSteps, state);
                }
                listener.onStep(progress);
            }
            checkpoints.awaitPending();
            double seconds = (System.nanoTime() - started) / 1e9;
            return new TrainingResult(totalSteps, firstStep, lastLoss, epochSteps == 0 ? Double.NaN : epochLossSum / epochSteps,
                    tokens, data.size(), seconds);
        } finally {
            checkpoints.close();
            trainable.values().forEach(p -> p.setRequiresGradient(false));
            optimizer.close();
        }
    }

    private static int epochOf(int step, int stepsPerEpoch) {
        return step < 0 ? -1 : step / stepsPerEpoch;
    }

    /** Mean masked cross entropy of the examples' completion tokens under the current weights (no training). */
    public double loss(List<SftExample> examples) {
        List<TokenizedExample> data = tokenize(examples);
        return NoGrad.call(() -> {
            double sum = 0;
            long count = 0;
            for (int b = 0; b < data.size(); b += config.batchSize()) {
                Batch batch = Batch.of(data.subList(b, Math.min(b + config.batchSize(), data.size())), padId());
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    sum += CausalLmLoss.of(model.llama(), batch, 1f, false).getFloat();
                }
                count += batch.targetTokens();
            }
            return count == 0 ? Double.NaN : sum / count;
        });
    }

    /** Prompt tokens, then the completion's tokens and its end (StudentModel.promptIds / completionIds), cut to maxLength. */
    private List<TokenizedExample> tokenize(List<SftExample> examples) {
        List<TokenizedExample> data = new ArrayList<>();
        int cut = 0;
        int empty = 0;
        for (SftExample example : examples) {
            long[] prompt = model.promptIds(example.prompt());
            long[] completion = model.completionIds(example.prompt(), example.completion());
            int length = Math.min(config.maxLength(), prompt.length + completion.length);
            cut += length < prompt.length + completion.length ? 1 : 0;
            empty += length <= prompt.length ? 1 : 0;
            long[] ids = new long[length];
            for (int i = 0; i < length; i++) {
                ids[i] = i < prompt.length ? prompt[i] : completion[i - prompt.length];
            }
            data.add(new TokenizedExample(ids, Math.min(prompt.length, length), example.task(), example.taskWeight()));
        }
        if (cut > 0) {
            LOG.warn("{} of {} examples exceed maxLength {} and were cut at the end; {} keep no completion token",
                    cut, examples.size(), config.maxLength(), empty);
        }
        return data;
    }

    private long padId() {
        LlamaConfig c = model.config();
        return c.padTokenId() >= 0 ? c.padTokenId() : c.eosTokenIds().get(0);
    }

    /** The tensors this run trains, by name: LoRA A and B of every adapted projection, or every base weight. */
    private Map<String, NDArray> trainableParameters(LlamaModel llama) {
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        if (config.fullFineTuning()) {
            if (model.adapterConfig() != null) {
                throw new IllegalStateException("full fine-tuning needs a model without adapter; save it with saveMerged and load that");
            }
            trainable.putAll(llama.parameters());
            return trainable;
        }
        if (model.adapterConfig() == null) {
            Adapters.init(llama, config.lora(), config.seed());
            model.adapter(config.lora());
        } else if (!model.adapterConfig().equals(config.lora())) {
            LOG.info("continuing the loaded adapter {} (the configured {} applies to new adapters only)",
                    model.adapterConfig(), config.lora());
        }
        for (Linear linear : llama.projections()) {
            if (linear.loraA() != null) {
                trainable.put(linear.name() + ".lora_A.weight", linear.loraA());
                trainable.put(linear.name() + ".lora_B.weight", linear.loraB());
            }
        }
        return trainable;
    }

    /** Writes a checkpoint in the background; state carries the run's progress, to which the run's identity is added. */
    private void saveCheckpoint(CheckpointWriter checkpoints, int step, Map<String, NDArray> trainable, AdamW optimizer,
                                int examples, int totalSteps, ObjectNode state) {
        state.put("examples", examples);
        state.put("totalSteps", totalSteps);
        state.put("seed", config.seed());
        state.put("optimizerSteps", optimizer.steps());
        NoGrad.call(() -> {
            checkpoints.save(config.checkpointDir(), step, trainable, optimizer.state(), state, model.llama().manager());
            return null;
        });
    }

    private JsonNode restore(Path dir, Map<String, NDArray> trainable, AdamW optimizer, int examples, int totalSteps) {
        return NoGrad.call(() -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                TrainingCheckpoints.Loaded loaded = TrainingCheckpoints.load(dir, model.llama().manager());
                JsonNode state = loaded.state();
                if (state.get("examples").asInt() != examples || state.get("totalSteps").asInt() != totalSteps
                        || state.get("seed").asLong() != config.seed()) {
                    throw new IllegalStateException(dir + " belongs to another run (examples " + state.get("examples")
                            + ", total steps " + state.get("totalSteps") + ", seed " + state.get("seed") + "; this run: "
                            + examples + ", " + totalSteps + ", " + config.seed() + ")");
                }
                trainable.forEach((name, p) -> Parameters.copyInto(p, loaded.trainable(), name));
                optimizer.restore(loaded.optimizer(), state.get("optimizerSteps").asInt());
                return state;
            }
        });
    }

    private static List<Integer> shuffled(int n, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        return order;
    }
}
