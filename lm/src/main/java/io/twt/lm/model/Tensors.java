package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java data, copied into libtorch's own memory. DJL's {@code create} wraps a Java direct buffer
 * without copying; once the DJL array is closed the buffer may be garbage-collected while libtorch still holds
 * the tensor, e.g. saved for backward. DJL's {@code mul(Number)} and friends do exactly that with a scalar: autograd
 * saved it, the buffer was freed, and a gradient came out as 7e17 in one step out of a few hundred.
 * In libtorch's memory, autograd's reference keeps the data alive.
 */
public final class Tensors {

    private Tensors() {
    }

    /** A 0-d float32 tensor with value, in like's manager: use it instead of DJL's Number overloads in the graph. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value);
    }

    /** x in dtype: x itself when it already is, else a copy outside the autograd graph (DJL's toType detaches). */
    public static NDArray as(NDArray x, DataType dtype) {
        return x.getDataType() == dtype ? x : x.toType(dtype, false);
    }

    public static NDArray of(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    public static NDArray of(NDManager manager, long[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }
}
