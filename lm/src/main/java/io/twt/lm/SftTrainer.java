package io.twt.lm;

import java.util.List;

/**
 * Supervised fine-tuning of a {@link StudentModel} on prompt/completion pairs (nanoGPT's train.py as one loop):
 * loss on completion tokens only, AdamW, warm-up then cosine decay, global-norm clipping, gradient
 * accumulation, checkpoints every N steps and resume from the newest one.
 */
public final class SftTrainer {

    public SftTrainer(StudentModel model, TrainingConfig config) {
    }

    /**
     * Trains the model in place. With LoRA: continues the model's adapter if it was loaded with one (fresh
     * optimizer state), else starts a new one from config.lora(). Without LoRA: trains every weight.
     */
    public TrainingResult train(List<SftExample> examples, TrainingListener listener) {
        throw new UnsupportedOperationException("being implemented");
    }

    /** Mean masked cross entropy of the examples' completion tokens under the current weights (no training). */
    public double loss(List<SftExample> examples) {
        throw new UnsupportedOperationException("being implemented");
    }
}
