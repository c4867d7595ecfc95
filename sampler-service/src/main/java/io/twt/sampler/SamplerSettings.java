package io.twt.sampler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.twt.common.selection.QualityCriterion;
import io.twt.sampler.domain.DcrsSettings;
import java.time.Duration;

/** {@code twt.sampler.*} settings (env {@code TWT_SAMPLER_*}). */
@ConfigMapping(prefix = "twt.sampler")
public interface SamplerSettings {

    /** Quality threshold s of the paper: keep OK outputs with confidence >= s ({@link QualityCriterion#THRESHOLD_KEY}). */
    @WithDefault("" + QualityCriterion.PAPER_THRESHOLD)
    double threshold();

    /** A query still waiting this long after its first record is decided with what arrived. */
    @WithDefault("5m")
    Duration deadline();

    @WithDefault("1s")
    Duration deadlineCheckInterval();

    /** How long decided query ids are remembered to ignore late and duplicate records. */
    @WithDefault("24h")
    Duration decidedRetention();

    default DcrsSettings settings() {
        return new DcrsSettings(threshold(), deadline(), deadlineCheckInterval(), decidedRetention());
    }
}
