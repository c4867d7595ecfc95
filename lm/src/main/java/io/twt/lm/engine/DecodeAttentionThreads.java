package io.twt.lm.engine;

import ai.djl.pytorch.jni.JniUtils;

/**
 * The intra-op threads of a decode step's attention (twt.lm.decode-attention-threads, default 1; 0 leaves it to
 * libtorch's count). A one-token step's batched matmuls and softmax are a few thousand multiply-adds per head, and
 * waking a second OpenMP thread costs more than the work: 11-15 us an op with 2 threads against 2-6 us with one
 * (lm/README.md). Attention bigger than {@link #SMALL_WORK} keeps every thread, so a long context of a 7B model
 * still decodes on all cores.
 *
 * <p>libtorch keeps OpenMP's and oneMKL's counts per calling thread, with a process-wide default for threads that
 * have not run an op yet: the switch touches the decoding thread, and both are set back before the step goes on.
 */
public final class DecodeAttentionThreads {

    /** Multiply-adds (B x heads x keys x head dim) up to which a decode step's attention runs on the set threads. */
    public static final long SMALL_WORK = 1L << 20;

    private static final int THREADS = parse(NativeKernels.setting("twt.lm.decode-attention-threads", null));

    private DecodeAttentionThreads() {
    }

    /**
     * Switches the calling thread to the set count when attention of this size is small; returns the count to
     * restore ({@link #restore}), 0 when nothing was switched.
     */
    public static int enter(long work) {
        if (THREADS <= 0 || work > SMALL_WORK) {
            return 0;
        }
        int before = JniUtils.getNumThreads();
        if (before <= THREADS) {
            return 0;
        }
        JniUtils.setNumThreads(THREADS);
        return before;
    }

    public static void restore(int before) {
        if (before > 0) {
            JniUtils.setNumThreads(before);
        }
    }

    /** The setting's threads: 1 when unset. */
    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        return (int) NativeKernels.count("twt.lm.decode-attention-threads", value, Integer.MAX_VALUE, "a thread count >= 0");
    }
}
