package io.twt.embedding.domain;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** How this service runs OnnxRuntime sessions: the encoder's, and bench/embedding's matmul ceiling on the same terms. */
public final class OnnxSessions {

    private OnnxSessions() {
    }

    /**
     * OnnxRuntime's session options for {@code threads} intra-op threads (0: one per core): all graph
     * optimisations, and idle pool threads sleep instead of spinning (a spinning pool starves the other processes on
     * a shared host and, under contention, its own next pass).
     */
    public static OrtSession.SessionOptions options(int threads) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            return options;
        } catch (OrtException e) {
            options.close();
            throw new IllegalStateException("cannot set OnnxRuntime session options: " + e.getMessage(), e);
        }
    }
}
