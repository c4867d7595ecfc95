package io.twt.compression.incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.twt.compression.domain.RationaleCompressor;

/** Counted once a batch's transaction committed, so a batch compressed again after an abort counts once. */
final class CompressionMetrics {

    private final MeterRegistry registry;

    CompressionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(DraftCompressionLoop.Result result) {
        RationaleCompressor.Outcome outcome = result.outcome();
        if (outcome == null) {
            registry.counter("twt.compression.dead.letters").increment();
            return;
        }
        var compressed = outcome.compressed();
        registry.counter("twt.compression.rationales", "method", compressed.method().wire()).increment();
        for (String rejection : outcome.rejections()) {
            registry.counter("twt.compression.rejected.rewrites", "reason", rejection.substring(0, rejection.indexOf(':')))
                    .increment();
        }
        registry.counter("twt.compression.original.tokens").increment(compressed.originalTokens());
        registry.counter("twt.compression.compressed.tokens").increment(compressed.compressedTokens());
    }
}
