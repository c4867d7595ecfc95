package io.twt.lm.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.Generation.FinishReason;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.model.KvCache;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.Masks;
import io.twt.lm.model.NoGrad;
import io.twt.lm.model.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Batched autoregressive decoding: prompts are left-padded to one length, the first step runs them whole (prefill)
 * and fills the KV cache, each later step feeds the B newest tokens. Without the cache every step recomputes the
 * whole sequence (the reference the cached path must equal). Rows may differ in sampler and token budget (a
 * server batches unrelated requests); a row that has finished is fed padding until the batch ends.
 */
public final class Generator {

    /** Tells whether the tokens generated so far for a row end it (a stop string appeared). */
    @FunctionalInterface
    public interface StopCheck {
        boolean stopped(long[] generated);
    }

    /** Tokens generated for one prompt (the eos token excluded) and why generation ended. */
    public record Output(long[] tokens, FinishReason finishReason) {
    }

    /**
     * One sequence of a batch.
     *
     * @param sampler shared between rows only where they share one random stream ({@link #generate(List, GenerationConfig, StopCheck)})
     */
    public record Row(long[] prompt, int maxNewTokens, Sampler sampler, StopCheck stopCheck) {
    }

    private final LlamaModel model;
    private final Set<Long> eos;
    private final long padId;

    public Generator(LlamaModel model, Set<Long> eos, long padId) {
        this.model = model;
        this.eos = eos;
        this.padId = padId;
    }

    /** Every prompt under one config; the rows draw from one random stream, in row order. */
    public List<Output> generate(List<long[]> prompts, GenerationConfig config, StopCheck stopCheck) {
        Sampler sampler = Sampler.of(config);
        List<Row> rows = prompts.stream().map(p -> new Row(p, config.maxNewTokens(), sampler, stopCheck)).toList();
        return generate(rows, config.useKvCache());
    }

    public List<Output> generate(List<Row> rows, boolean useKvCache) {
        return NoGrad.call(() -> decode(rows, useKvCache));
    }

    private List<Output> decode(List<Row> rows, boolean useKvCache) {
        LlamaConfig c = model.config();
        NDManager manager = model.manager();
        int batch = rows.size();
        int promptLength = 0;
        int maxNewTokens = 0;
        for (Row row : rows) {
            if (row.prompt().length == 0) {
                throw new IllegalArgumentException("a prompt must have at least one token");
            }
            promptLength = Math.max(promptLength, row.prompt().length);
            maxNewTokens = Math.max(maxNewTokens, row.maxNewTokens());
        }
        int[] pads = new int[batch];
        int capacity = promptLength + maxNewTokens;
        long[][] sequence = new long[batch][capacity]; // left-padded prompt, then generated tokens
        for (int b = 0; b < batch; b++) {
            long[] prompt = rows.get(b).prompt();
            pads[b] = promptLength - prompt.length;
            Arrays.fill(sequence[b], 0, pads[b], padId);
            System.arraycopy(prompt, 0, sequence[b], pads[b], prompt.length);
        }
        List<List<Long>> generated = new ArrayList<>();
        FinishReason[] finished = new FinishReason[batch];
        for (int b = 0; b < batch; b++) {
            generated.add(new ArrayList<>());
        }
        int length = promptLength;
        int remaining = batch;
        try (KvCache cache = useKvCache ? new KvCache(c.numLayers()) : null) {
            for (int step = 0; step < maxNewTokens && remaining > 0; step++) {
                // the cache holds positions [0, length - fed); this step feeds the rest
                int fed = cache == null || step == 0 ? length : 1;
                int start = length - fed;
                float[] logits;
                try (NDScope scope = new NDScope()) {
                    long[] ids = new long[batch * fed];
                    long[] positions = new long[batch * fed];
                    for (int b = 0; b < batch; b++) {
                        for (int t = 0; t < fed; t++) {
                            ids[b * fed + t] = sequence[b][start + t];
                            positions[b * fed + t] = Math.max(0, start + t - pads[b]);
                        }
                    }
                    NDArray input = Tensors.of(manager, ids, new Shape(batch, fed));
                    NDArray pos = Tensors.of(manager, positions, new Shape(batch, fed));
                    // a decode step of unpadded rows sees every key: no mask to build and add in each layer
                    NDArray mask = Masks.hidesNothing(pads, start, fed, length, c.slidingWindow()) ? null
                            : Masks.padded(manager, pads, start, fed, length, c.slidingWindow());
                    logits = model.forward(input, pos, mask, cache, false, true).toFloatArray(); // (B, 1, V)
                    scope.suppressNotUsedWarning();
                }
                int vocab = logits.length / batch;
                for (int b = 0; b < batch; b++) {
                    float[] row = Arrays.copyOfRange(logits, b * vocab, (b + 1) * vocab);
                    long next = finished[b] == null ? rows.get(b).sampler().sample(row) : padId;
                    sequence[b][length] = next;
                    if (finished[b] != null) {
                        continue;
                    }
                    if (eos.contains(next)) {
                        finished[b] = FinishReason.EOS;
                    } else {
                        generated.get(b).add(next);
                        if (rows.get(b).stopCheck().stopped(toArray(generated.get(b)))) {
                            finished[b] = FinishReason.STOP;
                        } else if (generated.get(b).size() >= rows.get(b).maxNewTokens()) {
                            finished[b] = FinishReason.LENGTH;
                        }
                    }
                    if (finished[b] != null) {
                        remaining--;
                    }
                }
                length++;
                if (length >= c.maxPositionEmbeddings()) {
                    break; // the model's context is full
                }
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            outputs.add(new Output(toArray(generated.get(b)), finished[b] == null ? FinishReason.LENGTH : finished[b]));
        }
        return outputs;
    }

    private static long[] toArray(List<Long> tokens) {
        long[] array = new long[tokens.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = tokens.get(i);
        }
        return array;
    }
}
