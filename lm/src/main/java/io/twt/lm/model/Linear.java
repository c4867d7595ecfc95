package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * A projection y = x W^T + b, with an optional LoRA branch as PEFT's {@code lora.Linear} computes it:
 * y += B(A(dropout(x))) * scaling. {@code name} is the Hugging Face module path, e.g.
 * {@code model.layers.0.self_attn.q_proj}; the tensors are {@code name + ".weight"}, {@code ".bias"},
 * {@code ".lora_A.weight"}, {@code ".lora_B.weight"}.
 */
public final class Linear {

    private final String name;
    private NDArray weight; // (out, in), fp32 or fp16 (LlamaModel.castWeights)
    private NDArray bias; // (out) or null, in the weight's dtype
    private NDArray loraA; // (r, in) or null
    private NDArray loraB; // (out, r) or null
    private float scaling;
    private float dropout;

    public Linear(String name, NDArray weight, NDArray bias) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * x (..., in) -> (..., out) in fp32. An fp16 weight is widened for the matmul (a frozen copy outside the graph,
     * freed with the step's scope): only storage is half precision.
     */
    public NDArray forward(NDArray x, boolean training) {
        NDArray w = Tensors.as(weight, DataType.FLOAT32);
        NDArray b = bias == null ? null : Tensors.as(bias, DataType.FLOAT32);
        NDArray y = x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
        if (loraA == null) {
            return y;
        }
        NDArray in = training && dropout > 0 ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray a = in.getNDArrayInternal().linear(in, loraA, null).singletonOrThrow(); // (..., r)
        NDArray delta = a.getNDArrayInternal().linear(a, loraB, null).singletonOrThrow(); // (..., out)
        return y.add(delta.mul(Tensors.scalar(delta, scaling)));
    }

    public String name() {
        return name;
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    public NDArray loraA() {
        return loraA;
    }

    public NDArray loraB() {
        return loraB;
    }

    public long in() {
        return weight.getShape().get(1);
    }

    public long out() {
        return weight.getShape().get(0);
    }

    /** Attaches given A (r, in) and B (out, r), which this layer then owns; shapes are checked against W. */
    public void attachLora(NDArray a, NDArray b, float scaling, float dropout) {
        checkLoraShapes(a, b);
        detachLora();
        this.loraA = a;
        this.loraB = b;
        this.scaling = scaling;
        this.dropout = dropout;
    }

    /**
     * Points the LoRA branch at A and B owned elsewhere (a served adapter among several), or at none when both are
     * null; the tensors it pointed at before are not closed. Inference only: no dropout.
     */
    public void selectLora(NDArray a, NDArray b, float scaling) {
        if (a != null) {
            checkLoraShapes(a, b);
        }
        this.loraA = a;
        this.loraB = b;
        this.scaling = scaling;
        this.dropout = 0;
    }

    /** Names the tensor whose shape does not fit W (out, in). */
    public void checkLoraShapes(NDArray a, NDArray b) {
        long r = a.getShape().get(0);
        if (!a.getShape().equals(new Shape(r, in()))) {
            throw new IllegalArgumentException(name + ".lora_A.weight has shape " + a.getShape() + ", expected (" + r + ", " + in() + ")");
        }
        if (!b.getShape().equals(new Shape(out(), r))) {
            throw new IllegalArgumentException(name + ".lora_B.weight has shape " + b.getShape() + ", expected (" + out() + ", " + r + ")");
        }
    }

    /** A fresh adapter as PEFT initialises it: A Kaiming-uniform (a = sqrt 5, bound 1/sqrt(in)), B zero. */
    public void initLora(int rank, float scaling, float dropout, NDManager manager, SplittableRandom random) {
        int in = Math.toIntExact(in());
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] a = new float[rank * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        attachLora(Tensors.of(manager, a, new Shape(rank, in)), manager.zeros(new Shape(out(), rank), DataType.FLOAT32),
                scaling, dropout);
    }

    /** W + B A * scaling in fp32: the weight with the adapter folded in (a new tensor; this layer is unchanged). */
    public NDArray mergedWeight() {
        NDArray base = weight.toType(DataType.FLOAT32, true);
        if (loraA == null) {
            return base;
        }
        NDArray delta = loraB.matMul(loraA).muli(Tensors.scalar(loraB, scaling));
        NDArray merged = base.addi(delta);
        delta.close();
        return merged;
    }

    /** Replaces the base weight and bias (LlamaModel.castWeights closes the old ones); the adapter stays. */
    void useWeights(NDArray newWeight, NDArray newBias) {
        weight = newWeight;
        bias = newBias;
    }

    public void detachLora() {
        if (loraA != null) {
            loraA.close();
            loraB.close();
            loraA = null;
            loraB = null;
        }
    }
}
