package io.twt.lm.config;

import ai.djl.ndarray.types.DataType;

import java.nio.file.Path;

/**
 * Settings of one supervised fine-tuning run (the schedule follows nanoGPT's get_lr: linear warm-up, then cosine
 * decay to minLrRatio * learningRate).
 *
 * @param lora            the adapter to train; null trains every weight (full fine-tuning)
 * @param learningRate    peak AdamW learning rate
 * @param batchSize       examples per forward/backward pass
 * @param gradAccumulation passes whose gradients are summed before one optimizer step
 * @param epochs          passes over the training set
 * @param warmupRatio     fraction of the optimizer steps spent warming the learning rate up from 0
 * @param minLrRatio      the learning rate at the end, as a fraction of the peak
 * @param weightDecay     AdamW's decoupled weight decay (applied to matrices, not to norms or biases)
 * @param maxGradNorm     global L2 norm the gradients are clipped to; 0 turns clipping off
 * @param maxLength       tokens per example (prompt + completion + eos); longer examples are cut at the end
 * @param seed            seeds the data order, LoRA initialisation and dropout, so a resumed run repeats exactly
 * @param checkpointDir   where checkpoints go (step-NNNNNNN folders); null for none
 * @param checkpointEvery optimizer steps between checkpoints (0: none)
 * @param resume          continue from the newest checkpoint in checkpointDir, if there is one
 * @param dtype           base weights and matmuls: FLOAT32, or FLOAT16 (LoRA only: the adapter, its gradients and
 *                        AdamW state stay float32, as do RMSNorm, softmax, the residual stream and the logits).
 *                        Not BFLOAT16: DJL 0.36 aborts the JVM on any bf16 array (toType included)
 * @param attentionChunk  query rows per attention block (0: the whole sequence), so that (T x T) scores per head
 *                        are never materialised at once
 * @param recompute       activation recomputation per decoder layer: keeps only each layer's input for backward
 */
public record TrainingConfig(LoraConfig lora, double learningRate, int batchSize, int gradAccumulation, int epochs,
                             double warmupRatio, double minLrRatio, double weightDecay, double maxGradNorm,
                             int maxLength, long seed, Path checkpointDir, int checkpointEvery, boolean resume,
                             DataType dtype, int attentionChunk, boolean recompute) {

    public TrainingConfig {
        require(learningRate > 0, "learningRate must be > 0, got " + learningRate);
        require(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
        require(gradAccumulation >= 1, "gradAccumulation must be >= 1, got " + gradAccumulation);
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(warmupRatio >= 0 && warmupRatio < 1, "warmupRatio must be in [0, 1), got " + warmupRatio);
        require(minLrRatio >= 0 && minLrRatio <= 1, "minLrRatio must be in [0, 1], got " + minLrRatio);
        require(maxGradNorm >= 0, "maxGradNorm must be >= 0, got " + maxGradNorm);
        require(maxLength >= 2, "maxLength must be >= 2, got " + maxLength);
        require(checkpointEvery >= 0, "checkpointEvery must be >= 0, got " + checkpointEvery);
        require(checkpointEvery == 0 || checkpointDir != null, "checkpointEvery needs a checkpointDir");
        require(dtype == DataType.FLOAT32 || dtype == DataType.FLOAT16,
                "dtype must be float32 or float16 (DJL 0.36 aborts on bfloat16 arrays), got " + dtype);
        require(dtype == DataType.FLOAT32 || lora != null,
                "float16 weights train with LoRA only (full fine-tuning would need float32 master weights)");
        require(attentionChunk >= 0, "attentionChunk must be >= 0, got " + attentionChunk);
    }

    /** The paper's setting (section 4): LoRA rank 8, lr 1e-5, batch 8, 4 epochs, context 4096. */
    public static TrainingConfig paperPreset() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().lora(lora).learningRate(learningRate).batchSize(batchSize)
                .gradAccumulation(gradAccumulation).epochs(epochs).warmupRatio(warmupRatio).minLrRatio(minLrRatio)
                .weightDecay(weightDecay).maxGradNorm(maxGradNorm).maxLength(maxLength).seed(seed)
                .checkpointDir(checkpointDir).checkpointEvery(checkpointEvery).resume(resume).dtype(dtype)
                .attentionChunk(attentionChunk).recompute(recompute);
    }

    public boolean fullFineTuning() {
        return lora == null;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Starts from the paper's preset; warm-up 3%, cosine to 10%, clipping at 1.0 are the usual companions. */
    public static final class Builder {
        private LoraConfig lora = LoraConfig.paperPreset();
        private double learningRate = 1e-5;
        private int batchSize = 8;
        private int gradAccumulation = 1;
        private int epochs = 4;
        private double warmupRatio = 0.03;
        private double minLrRatio = 0.1;
        private double weightDecay = 0.0;
        private double maxGradNorm = 1.0;
        private int maxLength = 4096;
        private long seed = 42;
        private Path checkpointDir;
        private int checkpointEvery;
        private boolean resume;
        private DataType dtype = DataType.FLOAT32;
        private int attentionChunk; // the lab's contexts are short; 512 bounds a 4096 context's scores to 1/8
        private boolean recompute;

        public Builder lora(LoraConfig lora) { this.lora = lora; return this; }
        public Builder fullFineTuning() { this.lora = null; return this; }
        public Builder learningRate(double learningRate) { this.learningRate = learningRate; return this; }
        public Builder batchSize(int batchSize) { this.batchSize = batchSize; return this; }
        public Builder gradAccumulation(int gradAccumulation) { this.gradAccumulation = gradAccumulation; return this; }
        public Builder epochs(int epochs) { this.epochs = epochs; return this; }
        public Builder warmupRatio(double warmupRatio) { this.warmupRatio = warmupRatio; return this; }
        public Builder minLrRatio(double minLrRatio) { this.minLrRatio = minLrRatio; return this; }
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }
        public Builder maxGradNorm(double maxGradNorm) { this.maxGradNorm = maxGradNorm; return this; }
        public Builder maxLength(int maxLength) { this.maxLength = maxLength; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder checkpointDir(Path checkpointDir) { this.checkpointDir = checkpointDir; return this; }
        public Builder checkpointEvery(int checkpointEvery) { this.checkpointEvery = checkpointEvery; return this; }
        public Builder resume(boolean resume) { this.resume = resume; return this; }
        public Builder dtype(DataType dtype) { this.dtype = dtype; return this; }
        public Builder attentionChunk(int attentionChunk) { this.attentionChunk = attentionChunk; return this; }
        public Builder recompute(boolean recompute) { this.recompute = recompute; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(lora, learningRate, batchSize, gradAccumulation, epochs, warmupRatio,
                    minLrRatio, weightDecay, maxGradNorm, maxLength, seed, checkpointDir, checkpointEvery, resume, dtype,
                    attentionChunk, recompute);
        }
    }
}
