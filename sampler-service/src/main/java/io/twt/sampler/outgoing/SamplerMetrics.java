package io.twt.sampler.outgoing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * DCRS's Prometheus figures. Kept share per teacher = kept / all of
 * {@code twt_sampler_teacher_outputs_total} for that teacher.
 */
@ApplicationScoped
public class SamplerMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary pairSimilarity;
    private final Timer decisionLatency;

    public SamplerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.pairSimilarity = DistributionSummary.builder("twt.sampler.pair.similarity")
                .description("cosine similarity of the pair chosen among three or more kept rationales")
                .serviceLevelObjectives(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0)
                .register(registry);
        this.decisionLatency = Timer.builder("twt.sampler.decision.latency")
                .description("time from the query's creation to its DCRS decision")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void teacherOutput(TeacherOutput output, boolean kept) {
        Counter.builder("twt.sampler.teacher.outputs")
                .description("first outputs per (query, teacher), by teacher and whether the quality criterion kept them")
                .tags("teacher", output.teacher(), "kept", Boolean.toString(kept))
                .register(registry).increment();
    }

    public void ignored(String what) {
        Counter.builder("twt.sampler.ignored.records")
                .description("duplicate or late records that changed nothing")
                .tag("kind", what)
                .register(registry).increment();
    }

    public void deadLetter(String topic) {
        Counter.builder("twt.sampler.dead.letters")
                .description("records that could not be decoded, sent to the topic's .dlq")
                .tag("topic", topic)
                .register(registry).increment();
    }

    public void selected(int sampleCount, Double similarity) {
        Counter.builder("twt.sampler.decisions").tags("outcome", "selected", "samples", Integer.toString(sampleCount))
                .register(registry).increment();
        if (similarity != null) {
            pairSimilarity.record(similarity);
        }
    }

    public void rejected(Rejection.Reason reason) {
        Counter.builder("twt.sampler.decisions").tags("outcome", "rejected", "samples", "0")
                .register(registry).increment();
        Counter.builder("twt.sampler.rejections").description("rejected queries by reason")
                .tag("reason", reason.name())
                .register(registry).increment();
    }

    public void latency(Duration sinceCreated) {
        decisionLatency.record(sinceCreated);
    }
}
