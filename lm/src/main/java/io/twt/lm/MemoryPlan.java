package io.twt.lm;

import ai.djl.ndarray.types.DataType;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.model.LlamaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device memory a training stage needs, from config.json alone (nothing is loaded): weights, what the autograd graph
 * keeps for backward (activations), LoRA / full-model gradients and AdamW state. The activation count follows this
 * module's forward pass as written (fp32 activations; attention keeps the (T x T) probabilities per head for
 * backward, plus the scores of one query chunk, or of all T queries unchunked, at the peak; the loss over full
 * (B, T, vocab) logits), so it is what {@link SftTrainer} needs for one forward/backward pass of {@code batch}
 * examples; gradient accumulation adds nothing. With recomputation, every layer keeps only its (B, T, H) input
 * and one layer's graph lives at a time. An estimate: libtorch's allocator caching and temporaries come on top.
 *
 * @param weightBytes     bytes per base weight element: 4 (float32) or 2 (fp16 storage; compute stays fp32)
 * @param loraRank        adapter rank, or 0 for full fine-tuning
 * @param attentionChunk  query rows per attention block, 0 for all T (TrainingConfig.attentionChunk)
 * @param recompute       activation recomputation per decoder layer (TrainingConfig.recompute)
 */
public record MemoryPlan(LlamaConfig config, int batch, int maxLength, int loraRank, int weightBytes,
                         int attentionChunk, boolean recompute, long parameters, long trainableParameters,
                         long weights, long activations, long gradients, long optimizer) {

    /** The plan of a trainer configured this way (dtype, chunking, recomputation, LoRA) at its batch and length. */
    public static MemoryPlan of(LlamaConfig c, TrainingConfig t) {
        return of(c, t.batchSize(), t.maxLength(), t.lora(), t.dtype() == DataType.FLOAT32 ? 4 : 2,
                t.attentionChunk(), t.recompute());
    }

    public static MemoryPlan of(LlamaConfig c, int batch, int maxLength, LoraConfig loraOrNull, int weightBytes,
                                int attentionChunk, boolean recompute) {
        if (weightBytes != 2 && weightBytes != 4) {
            throw new IllegalArgumentException("weightBytes must be 2 or 4, got " + weightBytes);
        }
        long h = c.hiddenSize();
        long parameters = c.vocabSize() * h * (c.tieWordEmbeddings() ? 1 : 2) + h;
        long loraParameters = 0;
        boolean fused = LlamaModel.fused(c);
        for (Map.Entry<String, long[]> module : projections(c).entrySet()) {
            long out = module.getValue()[0];
            long in = module.getValue()[1];
            parameters += c.numLayers() * out * in;
            if (loraOrNull != null && loraOrNull.targets(module.getKey(), fused)) {
                loraParameters += c.numLayers() * (long) loraOrNull.rank() * (in + out);
            }
        }
        parameters += c.numLayers() * 2L * h; // the two RMSNorm weights
        if (c.qkvBias()) {
            parameters += c.numLayers() * ((long) c.qDim() + 2L * c.kvDim());
        }
        long tokens = (long) batch * maxLength;
        // per layer and token: norm input and output (2H) twice, q/k/v (qDim + 2 kvDim), rotated q and k
        // (qDim + kvDim), attention output (qDim), MLP gate, up, silu(gate), silu(gate) * up (4I)
        long perTokenLayer = 4 * h + 3L * c.qDim() + 3L * c.kvDim() + 4L * c.intermediateSize();
        // softmax probabilities (B, n_heads, T, T) kept for backward, plus the scores of the queries in flight
        long queries = attentionChunk > 0 ? Math.min(attentionChunk, maxLength) : maxLength;
        long attention = (long) batch * c.numHeads() * maxLength * (maxLength + queries);
        long layer = (tokens * perTokenLayer + attention) * 4L; // fp32
        long layers = recompute ? c.numLayers() * tokens * h * 4L + layer : c.numLayers() * layer;
        long activations = layers + 2 * tokens * c.vocabSize() * 4L; // float32 logits and their log-softmax for the loss
        long trainable = loraOrNull == null ? parameters : loraParameters;
        // LoRA tensors, their gradients and AdamW's two moments stay float32; full fine-tuning keeps gradients in the
        // weights' dtype, AdamW's moments in float32, and (bf16 weights) a float32 master copy
        long weights = parameters * weightBytes + (loraOrNull == null ? 0 : 4 * loraParameters);
        long gradients = loraOrNull == null ? parameters * weightBytes : 4 * loraParameters;
        long optimizer = 8 * trainable + (loraOrNull == null && weightBytes < 4 ? 4 * parameters : 0);
        return new MemoryPlan(c, batch, maxLength, loraOrNull == null ? 0 : loraOrNull.rank(), weightBytes,
                attentionChunk, recompute, parameters, trainable, weights, activations, gradients, optimizer);
    }

    /** Each layer's projections by Hugging Face short name: (out, in). */
    private static Map<String, long[]> projections(LlamaConfig c) {
        long h = c.hiddenSize();
        long inter = c.intermediateSize();
        Map<String, long[]> p = new LinkedHashMap<>();
        if (LlamaModel.fused(c)) {
            p.put("qkv_proj", new long[] {c.qDim() + 2L * c.kvDim(), h});
        } else {
            p.put("q_proj", new long[] {c.qDim(), h});
            p.put("k_proj", new long[] {c.kvDim(), h});
            p.put("v_proj", new long[] {c.kvDim(), h});
        }
        p.put("o_proj", new long[] {h, c.qDim()});
        if (LlamaModel.fused(c)) {
            p.put("gate_up_proj", new long[] {2 * inter, h});
        } else {
            p.put("gate_proj", new long[] {inter, h});
            p.put("up_proj", new long[] {inter, h});
        }
        p.put("down_proj", new long[] {h, inter});
        return p;
    }

    public long total() {
        return weights + activations + gradients + optimizer;
    }

    public boolean fits(long deviceBytes) {
        return total() <= deviceBytes;
    }

    /** Throws, naming each part, when the stage does not fit deviceBytes. */
    public void requireFits(long deviceBytes) {
        if (!fits(deviceBytes)) {
            throw new IllegalStateException("the stage needs " + gib(total()) + " but the device has " + gib(deviceBytes)
                    + " (" + String.join(", ", lines()) + ")");
        }
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("weights " + gib(weights));
        lines.add("activations " + gib(activations));
        lines.add("gradients " + gib(gradients));
        lines.add("optimizer " + gib(optimizer));
        return lines;
    }

    public static String gib(long bytes) {
        return String.format("%.2f GiB", bytes / (double) (1L << 30));
    }
}
