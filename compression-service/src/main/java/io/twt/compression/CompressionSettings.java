package io.twt.compression;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.twt.common.CompressionMethod;
import java.util.Optional;

/** The service's own settings, {@code twt.compression.*} (env {@code TWT_COMPRESSION_*}). */
@ConfigMapping(prefix = "twt.compression")
public interface CompressionSettings {

    /** teacher-guided (the paper's), fixed-length or none: the rows of paper table 6. */
    @WithDefault("teacher-guided")
    CompressionMethod method();

    /** Teacher calls per draft before the original rationale is kept: the first ask and one re-ask. */
    @WithDefault("2")
    int attempts();

    /** The fixed-length baseline's budget, in student tokens (or words without a tokenizer). */
    @WithDefault("64")
    int fixedLengthTokens();

    /** A student model directory holding tokenizer.json; without it lengths are counted in whitespace words. */
    Optional<String> studentModelDir();

    /** Drafts compressed at the same time: teacher calls in flight from this instance. */
    @WithDefault("4")
    int concurrency();

    /** Completion budget of one rewrite, in teacher tokens. */
    @WithDefault("1024")
    int maxTokens();

    @WithDefault("0.0")
    double temperature();

    Kafka kafka();

    interface Kafka {
        @WithDefault("compression-service")
        String groupId();

        /**
         * Fixed per instance (a StatefulSet pod name on Kubernetes): a restarted instance with the same id
         * fences its predecessor and aborts its open transaction at once instead of after a timeout.
         */
        @WithDefault("compression-service-0")
        String transactionalId();

        /** Drafts per transaction; each may take {@code attempts} teacher calls. */
        @WithDefault("16")
        int maxPollRecords();

        /** Must exceed a batch's worst case: attempts x teacher timeout x maxPollRecords / concurrency. */
        @WithDefault("900000")
        int maxPollIntervalMs();
    }
}
