package io.twt.lm.train;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/** In-place copies between named tensors, checked by name and shape. */
public final class Parameters {

    private Parameters() {
    }

    public static void copyInto(NDArray target, Map<String, NDArray> source, String name) {
        NDArray value = source.get(name);
        if (value == null) {
            throw new IllegalArgumentException("checkpoint is missing " + name);
        }
        if (!value.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("checkpoint " + name + " has shape " + value.getShape()
                    + ", expected " + target.getShape());
        }
        target.set(value.toByteBuffer());
    }
}
