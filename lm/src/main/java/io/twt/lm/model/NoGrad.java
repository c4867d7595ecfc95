package io.twt.lm.model;

import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * Runs work with libtorch's autograd off on the calling thread. Grad mode is per thread and on by default in
 * libtorch, so every inference entry point wraps itself in this (DJL only switches it inside a GradientCollector).
 */
public final class NoGrad {

    private NoGrad() {
    }

    public static <T> T call(Supplier<T> work) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }
}
