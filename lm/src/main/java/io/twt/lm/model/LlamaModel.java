package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.engine.DecodeAttentionThreads;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Llama-family decoder (transformers' modeling_llama.py; classes bottom-up as in nanoGPT's model.py):
 * token embedding, N x [RMSNorm, grouped-query attention with rotate_half RoPE, residual, RMSNorm, SiLU-gated
 * MLP, residual], final RMSNorm, LM head (tied to the embedding or its own). Every tensor is named by its
 * Hugging Face key; {@link #expectedShapes} is the one table of those names and shapes.
 */
public final class LlamaModel implements AutoCloseable {

    /**
     * Grouped-query self-attention: n_heads query heads share n_kv_heads key/value heads in groups. phi3 keeps q, k
     * and v as one fused qkv_proj (rows q, then k, then v), so LoRA on it saves under phi3's own module name.
     */
    static final class Attention {
        final List<Linear> qkv; // q_proj (n_heads * hd, H), k_proj (n_kv * hd, H), v_proj (n_kv * hd, H); or qkv_proj
        final Linear oProj; // (H, n_heads * hd)

        Attention(List<Linear> qkv, Linear oProj) {
            this.qkv = List.copyOf(qkv);
            this.oProj = oProj;
        }

        /** x (B, T, H) -> q (B, T, n_heads * hd), k and v (B, T, n_kv * hd). */
        private NDList project(LlamaConfig c, NDArray x, boolean training) {
            if (qkv.size() == 1) {
                return qkv.get(0).forward(x, training).split(new long[] {c.qDim(), c.qDim() + c.kvDim()}, 2);
            }
            return new NDList(qkv.get(0).forward(x, training), qkv.get(1).forward(x, training),
                    qkv.get(2).forward(x, training));
        }

        /** x (B, T, H) -> (B, T, H), with the pass's RoPE, mask and scalars; chunk: query rows at a time, 0 all. */
        NDArray forward(LlamaConfig c, NDArray x, Inputs in, KvCache cache, int layer, int chunk, boolean training) {
            long b = x.getShape().get(0);
            long t = x.getShape().get(1);
            int hd = c.headDim();
            NDList projected = project(c, x, training);
            NDArray q = heads(projected.get(0), b, t, c.numHeads(), hd); // (B, nh, T, hd)
            NDArray k = heads(projected.get(1), b, t, c.numKvHeads(), hd); // (B, nkv, T, hd)
            NDArray v = heads(projected.get(2), b, t, c.numKvHeads(), hd); // (B, nkv, T, hd)
            // one rotation for the query and key heads together: fewer ops per decoded token than two
            NDList rotated = rotate(q.concat(k, 1), in, c.rotaryDim()) // (B, nh + nkv, T, hd)
                    .split(new long[] {c.numHeads()}, 1);
            q = rotated.get(0); // (B, nh, T, hd)
            k = rotated.get(1); // (B, nkv, T, hd)
            if (cache != null) {
                NDArray[] kv = cache.append(layer, k, v);
                k = kv[0]; // (B, nkv, S, hd)
                v = kv[1];
            }
            // queries in chunks of `chunk` rows: (B, nh, C, S) scores per chunk instead of (B, nh, T, S) at once
            NDArray kt = k.transpose(0, 1, 3, 2); // (B, nkv, hd, S)
            long rows = chunk > 0 ? Math.min(chunk, t) : t;
            NDArray mask = in.mask();
            NDArray y;
            if (t == 1) { // a decode step: (B, nkv, g, hd) is already (B, 1, nh * hd) in memory
                y = attend(c, q, kt, v, mask, in.attentionScale()).reshape(b, 1, (long) c.numHeads() * hd);
            } else {
                NDList chunks = new NDList();
                for (long from = 0; from < t; from += rows) {
                    long to = Math.min(t, from + rows);
                    NDArray qc = to - from == t ? q : q.get(":, :, {}:{}, :", from, to); // (B, nh, C, hd)
                    NDArray mc = mask == null || to - from == t ? mask : mask.get(":, :, :, {}:{}, :", from, to); // (B, 1, 1, C, S)
                    chunks.add(attend(c, qc, kt, v, mc, in.attentionScale()).reshape(b, c.numHeads(), to - from, hd));
                }
                y = (chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks, 2)) // (B, nh, T, hd)
                        .transpose(0, 2, 1, 3).reshape(b, t, (long) c.numHeads() * hd);
            }
            return oProj.forward(y, training); // (B, T, H)
        }

        /**
         * softmax(q k^T / sqrt(hd) + mask) v for query rows q (B, nh, C, hd) against keys kt (B, nkv, hd, S) and
         * values v (B, nkv, S, hd): query heads h = kv * groups + g share kv head `kv` (transformers' repeat_kv)
         * without copying K and V. A null mask hides no key (a decode step without padding). Returns (B, nkv, g*C, hd),
         * which is (B, nh, C, hd) in memory.
         */
        private static NDArray attend(LlamaConfig c, NDArray q, NDArray kt, NDArray v, NDArray mask, NDArray scale) {
            long b = q.getShape().get(0);
            long t = q.getShape().get(2);
            long s = kt.getShape().get(3);
            int hd = c.headDim();
            int groups = c.kvGroups();
            // a one-token step's attention is too small to pay for waking a second thread (DecodeAttentionThreads)
            int threads = t == 1 ? DecodeAttentionThreads.enter(b * c.numHeads() * s * hd) : 0;
            try {
                NDArray qg = q.reshape(b, c.numKvHeads(), groups * t, hd); // (B, nkv, g*C, hd)
                NDArray scores = qg.matMul(kt).muli(scale); // (B, nkv, g*C, S)
                NDArray probs = mask == null ? scores.softmax(3) // fp32 softmax over keys
                        : scores.reshape(b, c.numKvHeads(), groups, t, s).addi(mask) // + (B, 1, 1, C, S)
                                .softmax(4).reshape(b, c.numKvHeads(), groups * t, s);
                return probs.matMul(v); // (B, nkv, g*C, hd)
            } finally {
                DecodeAttentionThreads.restore(threads);
            }
        }

        /** (B, T, heads * hd) -> (B, heads, T, hd); one position needs no transpose, its layout is the same. */
        private static NDArray heads(NDArray x, long b, long t, int heads, int hd) {
            return t == 1 ? x.reshape(b, heads, 1, hd) : x.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        }

        /**
         * x * cos + rotate_half(x) * sin, where rotate_half([x1, x2]) = [-x2, x1], over the first rd channels of each
         * head; the rest pass unrotated (partial_rotary_factor). A decode step is bound by its count of ops, not by
         * FLOPs, so there rotate_half is one exact matmul (RopeTable.rotateHalf) instead of split, neg and concat.
         */
        private static NDArray rotate(NDArray x, Inputs in, int rd) {
            long hd = x.getShape().get(3); // x is (B, heads, T, hd)
            if (rd < hd) {
                NDList parts = x.split(new long[] {rd}, 3); // (B, heads, T, rd), (B, heads, T, hd - rd)
                return rotate(parts.get(0), in, rd).concat(parts.get(1), 3);
            }
            NDArray rotated;
            if (x.getShape().get(2) == 1) {
                rotated = x.matMul(in.rotateHalf());
            } else {
                NDList halves = x.split(2, 3);
                rotated = halves.get(1).neg().concat(halves.get(0), 3);
            }
            return x.mul(in.cos()).addi(rotated.muli(in.sin()));
        }
    }

    /** down(silu(gate(x)) * up(x)); phi3 fuses gate and up into gate_up_proj (rows gate, then up). */
    static final class Mlp {
        final List<Linear> gateUp; // gate_proj (I, H), up_proj (I, H); or gate_up_proj (2I, H)
        final Linear downProj; // (H, I)

        Mlp(List<Linear> gateUp, Linear downProj) {
            this.gateUp = List.copyOf(gateUp);
            this.downProj = downProj;
        }

        NDArray forward(NDArray x, boolean training) {
            NDList parts = gateUp.size() == 1 ? gateUp.get(0).forward(x, training).split(2, 2)
                    : new NDList(gateUp.get(0).forward(x, training), gateUp.get(1).forward(x, training));
            NDArray gate = parts.get(0); // (B, T, I)
            NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
            return downProj.forward(silu.mul(parts.get(1)), training); // (B, T, H)
        }
    }

    /** Pre-norm residual block: x + attn(norm(x)), then h + mlp(norm(h)). */
    static final class DecoderLayer {
        final NDArray inputLayernorm; // (H)
        final Attention selfAttn;
        final NDArray postAttentionLayernorm; // (H)
        final Mlp mlp;

        DecoderLayer(NDArray inputLayernorm, Attention selfAttn, NDArray postAttentionLayernorm, Mlp mlp) {
            this.inputLayernorm = inputLayernorm;
            this.selfAttn = selfAttn;
            this.postAttentionLayernorm = postAttentionLayernorm;
            this.mlp = mlp;
        }

        NDArray forward(LlamaConfig c, NDArray x, Inputs in, KvCache cache, int layer, int chunk, boolean training) {
            NDArray h = x.add(selfAttn.forward(c, rmsNorm(x, inputLayernorm, in.rmsNormEps()), in, cache, layer, chunk,
                    training));
            return h.add(mlp.forward(rmsNorm(h, postAttentionLayernorm, in.rmsNormEps()), training));
        }
    }

    private final LlamaConfig config;
    private final NDManager manager;
    private NDArray embedTokens; // (V, H), in weightType
    private final List<DecoderLayer> layers;
    private final NDArray norm; // (H)
    private final Linear lmHead; // (V, H), the embedding matrix itself when tied
    private final RopeTable rope;
    private final Map<String, NDArray> parameters; // HF key -> tensor, in checkpoint order
    private DataType weightType = DataType.FLOAT32; // storage of the weight matrices; every op computes in fp32
    private int attentionChunk; // query rows per attention block; 0: all T at once

    /**
     * Builds the model from tensors named by their Hugging Face keys; every key of {@link #expectedShapes} must be
     * present with its shape, and no other key.
     */
    public LlamaModel(LlamaConfig config, Map<String, NDArray> weights, NDManager manager) {
        this.config = config;
        this.manager = manager;
        Map<String, Shape> expected = expectedShapes(config);
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            NDArray w = weights.get(e.getKey());
            if (w == null) {
                throw new IllegalArgumentException("checkpoint is missing " + e.getKey() + " " + e.getValue());
            }
            if (!w.getShape().equals(e.getValue())) {
                throw new IllegalArgumentException(e.getKey() + " has shape " + w.getShape() + ", expected " + e.getValue());
            }
        }
        for (String key : weights.keySet()) {
            if (!expected.containsKey(key)) {
                throw new IllegalArgumentException("checkpoint has unexpected tensor " + key + " for " + config.modelType());
            }
        }
        this.parameters = new LinkedHashMap<>();
        expected.keySet().forEach(key -> parameters.put(key, weights.get(key)));
        this.embedTokens = weights.get("model.embed_tokens.weight");
        this.norm = weights.get("model.norm.weight");
        this.lmHead = new Linear("lm_head", config.tieWordEmbeddings() ? embedTokens : weights.get("lm_head.weight"), null);
        this.layers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            boolean fused = fused(config);
            List<Linear> qkv = fused ? List.of(linear(weights, p + "self_attn.qkv_proj", false))
                    : List.of(linear(weights, p + "self_attn.q_proj", config.qkvBias()),
                            linear(weights, p + "self_attn.k_proj", config.qkvBias()),
                            linear(weights, p + "self_attn.v_proj", config.qkvBias()));
            List<Linear> gateUp = fused ? List.of(linear(weights, p + "mlp.gate_up_proj", false))
                    : List.of(linear(weights, p + "mlp.gate_proj", false), linear(weights, p + "mlp.up_proj", false));
            Attention attention = new Attention(qkv, linear(weights, p + "self_attn.o_proj", config.outputBias()));
            Mlp mlp = new Mlp(gateUp, linear(weights, p + "mlp.down_proj", false));
            layers.add(new DecoderLayer(weights.get(p + "input_layernorm.weight"), attention,
                    weights.get(p + "post_attention_layernorm.weight"), mlp));
        }
        this.rope = new RopeTable(config, manager);
    }

    private static Linear linear(Map<String, NDArray> weights, String name, boolean bias) {
        return new Linear(name, weights.get(name + ".weight"), bias ? weights.get(name + ".bias") : null);
    }

    /** phi3 checkpoints hold fused qkv_proj and gate_up_proj; the model keeps them fused. */
    public static boolean fused(LlamaConfig c) {
        return c.modelType().equals("phi3");
    }

    /** Every tensor of the model by Hugging Face key, with its shape. */
    public static Map<String, Shape> expectedShapes(LlamaConfig c) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        long h = c.hiddenSize();
        shapes.put("model.embed_tokens.weight", new Shape(c.vocabSize(), h));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new Shape(h));
            if (fused(c)) {
                shapes.put(p + "self_attn.qkv_proj.weight", new Shape(c.qDim() + 2L * c.kvDim(), h));
            } else {
                shapes.put(p + "self_attn.q_proj.weight", new Shape(c.qDim(), h));
                shapes.put(p + "self_attn.k_proj.weight", new Shape(c.kvDim(), h));
                shapes.put(p + "self_attn.v_proj.weight", new Shape(c.kvDim(), h));
            }
            if (c.qkvBias()) {
                shapes.put(p + "self_attn.q_proj.bias", new Shape(c.qDim()));
                shapes.put(p + "self_attn.k_proj.bias", new Shape(c.kvDim()));
                shapes.put(p + "self_attn.v_proj.bias", new Shape(c.kvDim()));
            }
            shapes.put(p + "self_attn.o_proj.weight", new Shape(h, c.qDim()));
            if (c.outputBias()) {
                shapes.put(p + "self_attn.o_proj.bias", new Shape(h));
            }
            shapes.put(p + "post_attention_layernorm.weight", new Shape(h));
            if (fused(c)) {
                shapes.put(p + "mlp.gate_up_proj.weight", new Shape(2L * c.intermediateSize(), h));
            } else {
                shapes.put(p + "mlp.gate_proj.weight", new Shape(c.intermediateSize(), h));
                shapes.put(p + "mlp.up_proj.weight", new Shape(c.intermediateSize(), h));
            }
            shapes.put(p + "mlp.down_proj.weight", new Shape(h, c.intermediateSize()));
        }
        shapes.put("model.norm.weight", new Shape(h));
        if (!c.tieWordEmbeddings()) {
            shapes.put("lm_head.weight", new Shape(c.vocabSize(), h));
        }
        return shapes;
    }

    /**
     * The forward pass.
     *
     * @param inputIds    (B, T) int64 token ids
     * @param positionIds (B, T) int64 positions (they skip left padding)
     * @param mask        (B or 1, 1, T, S) float additive mask: 0 where a query may attend to a key, a large negative
     *                    number elsewhere; S = cached positions + T; null when it hides no key (Masks.hidesNothing)
     * @param cache       keys and values of earlier positions, appended to; null to attend within the input only
     * @param training    enables LoRA dropout
     * @param lastOnly    computes logits of the last position only (generation)
     * @return logits (B, T or 1, V)
     */
    public NDArray forward(NDArray inputIds, NDArray positionIds, NDArray mask, KvCache cache, boolean training,
                           boolean lastOnly) {
        Inputs in = inputs(inputIds, positionIds, mask, cache);
        NDArray x = in.x();
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(config, x, in, cache, i, attentionChunk, training); // (B, T, H)
        }
        if (lastOnly && x.getShape().get(1) > 1) {
            x = x.get(":, -1:, :"); // (B, 1, H)
        }
        return head(x, in);
    }

    /**
     * What every layer of one pass reads: the residual stream entering layer 0 (B, T, H) fp32, RoPE cos/sin
     * (B, 1, T, rd) and rotate_half's matrix (rd, rd), the mask (B, 1, 1, T, S) or null, and the pass's scalars as 0-d tensors (made once per pass, not
     * once per layer: each is a native op).
     */
    private record Inputs(NDArray x, NDArray cos, NDArray sin, NDArray rotateHalf, NDArray mask, NDArray rmsNormEps,
                          NDArray attentionScale) {
    }

    private Inputs inputs(NDArray inputIds, NDArray positionIds, NDArray mask, KvCache cache) {
        // positions never exceed the sequence index, so the table needs at most cached + T rows (no device sync)
        int rows = Math.toIntExact((cache == null ? 0 : cache.length()) + inputIds.getShape().get(1));
        NDArray x = Tensors.as(embedding(inputIds, embedTokens), DataType.FLOAT32); // (B, T, H)
        NDArray[] table = rope.tables(rows, rope.longRegime(positionIds, rows));
        NDArray cos = embedding(positionIds, table[0]).expandDims(1); // (B, 1, T, rd)
        NDArray sin = embedding(positionIds, table[1]).expandDims(1); // (B, 1, T, rd)
        return new Inputs(x, cos, sin, rope.rotateHalf(), mask == null ? null : mask.expandDims(1), // broadcast over kv heads and groups
                Tensors.scalar(x, config.rmsNormEps()), Tensors.scalar(x, 1.0 / Math.sqrt(config.headDim())));
    }

    /** Final RMSNorm and LM head: (B, T, H) -> logits (B, T, V) fp32. */
    private NDArray head(NDArray x, Inputs in) {
        return lmHead.forward(rmsNorm(x, norm, in.rmsNormEps()), false);
    }

    /**
     * Forward and backward with activation recomputation (torch.utils.checkpoint per decoder layer): a first pass
     * without autograd keeps only each layer's input (B, T, H); then, from the last layer down, each layer runs
     * again with autograd and is back-propagated alone, fed the gradient of its output, so the graph of one layer
     * lives at a time. DJL has no custom autograd function, so the chain rule is applied by hand: backward of
     * sum(out * dL/dout) gives dL/dparameters of the layer (accumulated in libtorch) and dL/din. Dropout draws
     * are reseeded per layer from {@code seed} so both passes drop the same units.
     *
     * @param loss the scalar loss of the logits (B, T, V)
     * @return the loss value
     */
    public float recomputedBackward(NDArray inputIds, NDArray positionIds, NDArray mask, boolean training,
                                    Function<NDArray, NDArray> loss, GradientCollector collector, long seed) {
        Inputs in = inputs(inputIds, positionIds, mask, null);
        // 1) forward without autograd, keeping each layer's input (B, T, H); a layer's temporaries die with its scope
        NDArray[] layerInputs = new NDArray[layers.size() + 1];
        layerInputs[0] = in.x();
        try {
            NoGrad.call(() -> {
                for (int i = 0; i < layers.size(); i++) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        JniUtils.setSeed(seed + i);
                        layerInputs[i + 1] = layers.get(i).forward(config, layerInputs[i], in, null, i,
                                attentionChunk, training);
                        NDScope.unregister(layerInputs[i + 1]);
                    }
                }
                return null;
            });
            // 2) norm, head and loss from the last layer's output, back to dL/d(that output)
            float value;
            NDArray upstream;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray top = leaf(layerInputs[layers.size()]);
                NDArray lossValue = loss.apply(head(top, in));
                collector.backward(lossValue);
                value = lossValue.getFloat();
                upstream = top.getGradient().duplicate(); // (B, T, H)
                NDScope.unregister(upstream);
            }
            // 3) each layer again with autograd, from the top, fed the gradient of its output
            for (int i = layers.size() - 1; i >= 0; i--) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = leaf(layerInputs[i]);
                    JniUtils.setSeed(seed + i);
                    NDArray out = layers.get(i).forward(config, x, in, null, i, attentionChunk, training);
                    collector.backward(out.mul(upstream).sum());
                    NDArray next = x.getGradient().duplicate(); // dL/d(input of layer i)
                    NDScope.unregister(next);
                    upstream.close();
                    upstream = next;
                }
            }
            upstream.close();
            return value;
        } finally {
            for (int i = 1; i < layerInputs.length; i++) {
                if (layerInputs[i] != null) {
                    layerInputs[i].close();
                }
            }
        }
    }

    /** A copy of x outside any graph that collects its own gradient. */
    private static NDArray leaf(NDArray x) {
        NDArray copy = NoGrad.call(x::duplicate);
        copy.setRequiresGradient(true);
        return copy;
    }

    /**
     * Keeps the weight matrices and biases (projections, embedding, untied head) in dtype, halving their memory with
     * FLOAT16; LoRA stays fp32. Computation stays fp32: each projection widens its weight for its matmul (Linear),
     * because DJL 0.36's toType cuts the autograd graph (so activations cannot be cast down and back in training)
     * and any bf16 array aborts its JVM. Frees the fp32 copies.
     */
    public void castWeights(DataType dtype) {
        if (dtype == weightType) {
            return;
        }
        NDList old = new NDList();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray w = e.getValue();
            boolean matrix = w.getShape().dimension() == 2;
            boolean bias = e.getKey().endsWith(".bias");
            if (matrix || bias) {
                e.setValue(persistent(w.toType(dtype, false)));
                old.add(w);
            }
        }
        embedTokens = parameters.get("model.embed_tokens.weight");
        for (Linear linear : projections()) {
            linear.useWeights(parameters.get(linear.name() + ".weight"), parameters.get(linear.name() + ".bias"));
        }
        lmHead.useWeights(config.tieWordEmbeddings() ? embedTokens : parameters.get("lm_head.weight"), null);
        old.close();
        weightType = dtype;
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    /** Query rows per attention block during forward (0: the whole sequence at once). */
    public void attentionChunk(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("attention chunk must be >= 0, got " + rows);
        }
        this.attentionChunk = rows;
    }

    public DataType weightType() {
        return weightType;
    }

    /** weight * x / sqrt(mean(x^2) + eps) over the last axis of (B, T, H), in fp32 (transformers' LlamaRMSNorm). */
    static NDArray rmsNorm(NDArray x, NDArray weight, NDArray eps) {
        NDArray rms = x.square().mean(new int[] {2}, true).addi(eps).sqrt(); // (B, T, 1)
        return x.div(rms).mul(weight);
    }

    private static NDArray embedding(NDArray ids, NDArray table) {
        return table.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    public LlamaConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Base tensors by Hugging Face key, in checkpoint order (no lm_head when tied). */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Every projection of every layer (the modules LoRA can target), in layer order. */
    public List<Linear> projections() {
        List<Linear> all = new ArrayList<>();
        for (DecoderLayer layer : layers) {
            all.addAll(layer.selfAttn.qkv);
            all.add(layer.selfAttn.oProj);
            all.addAll(layer.mlp.gateUp);
            all.add(layer.mlp.downProj);
        }
        return all;
    }

    @Override
    public void close() {
        rope.close();
        manager.close();
    }
}
