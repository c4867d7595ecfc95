package io.twt.sampler.incoming;

import io.twt.common.TeacherOutput;
import io.twt.sampler.domain.DcrsSettings;
import io.twt.sampler.domain.Decision;
import io.twt.sampler.domain.QueryState;
import io.twt.sampler.outgoing.SamplerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Dual-Criteria Rejection Sampling for one partition's queries: joins each query's teacher outputs with the
 * embeddings of the kept ones in {@link SamplerTopology#QUERY_STATE_STORE}, decides when the query is complete
 * or its deadline passed, then forgets the state and remembers only the decided id.
 */
class DcrsProcessor implements Processor<String, DcrsInput, String, DcrsOutput> {

    /** Decided ids are purged this often; retention is hours, so a coarse sweep is enough. */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final DcrsSettings settings;
    private final SamplerMetrics metrics;
    private ProcessorContext<String, DcrsOutput> context;
    private KeyValueStore<String, QueryState> states;
    private KeyValueStore<String, Long> decided;

    DcrsProcessor(DcrsSettings settings, SamplerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, DcrsOutput> context) {
        this.context = context;
        this.states = context.getStateStore(SamplerTopology.QUERY_STATE_STORE);
        this.decided = context.getStateStore(SamplerTopology.DECIDED_STORE);
        context.schedule(settings.deadlineCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::decideOverdue);
        context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetOldDecisions);
    }

    @Override
    public void process(Record<String, DcrsInput> record) {
        String queryId = record.key();
        long now = context.currentSystemTimeMs();
        QueryState stored = states.get(queryId);
        if (stored != null && record.value() instanceof DcrsInput.Output(TeacherOutput output)
                && output.redrive() > stored.redrive() && output.query().redrive() != null) {
            // a re-drive: the query is open again until the re-asked teachers have answered anew
            stored = stored.reopenFor(output.query().redrive(), now);
        }
        if (stored != null ? stored.decided() != null : decided.get(queryId) != null) {
            metrics.ignored("after-decision");
            if (stored != null && record.value() instanceof DcrsInput.Embedding(var embedding) && !stored.hasEmbeddingFrom(embedding.teacher())) {
                // kept for a re-drive that may bring a third kept rationale and so need every embedding
                states.put(queryId, stored.withEmbedding(embedding));
            }
            return;
        }
        QueryState state = Optional.ofNullable(stored).orElseGet(() -> QueryState.start(queryId, now));
        switch (record.value()) {
            case DcrsInput.Output(TeacherOutput output) -> {
                if (state.hasOutputFrom(output.teacher()) || state.stale(output)) {
                    metrics.ignored("duplicate-output");
                    return;
                }
                state = state.withOutput(output);
                boolean kept = output.kept(settings.threshold());
                metrics.teacherOutput(output, kept);
                if (kept) {
                    context.forward(new Record<>(queryId, new DcrsOutput.Kept(output), record.timestamp()));
                }
            }
            case DcrsInput.Embedding(var embedding) -> {
                if (state.hasEmbeddingFrom(embedding.teacher())) {
                    metrics.ignored("duplicate-embedding");
                    return;
                }
                state = state.withEmbedding(embedding);
            }
        }
        decideOrKeep(state, state.deadlinePassed(now, settings), now);
    }

    private void decideOverdue(long now) {
        List<QueryState> overdue = new ArrayList<>();
        try (KeyValueIterator<String, QueryState> all = states.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.decided() == null && entry.value.deadlinePassed(now, settings)) {
                    overdue.add(entry.value);
                }
            });
        }
        overdue.forEach(state -> decideOrKeep(state, true, now));
    }

    private void decideOrKeep(QueryState state, boolean deadlinePassed, long now) {
        Optional<Decision> decision = state.decide(settings.threshold(), deadlinePassed);
        if (decision.isEmpty()) {
            states.put(state.queryId(), state);
            return;
        }
        // the decided state stays (until forgotten) so that a re-drive can decide again from the complete set
        QueryState decidedState = state.decidedAs(decision.get());
        states.put(state.queryId(), decidedState);
        decided.put(state.queryId(), now);
        if (state.earlier() != null && !state.earlier().equals(decidedState.decided())) {
            // a re-drive turned the decision the other way: the first one is withdrawn from its compacted topic,
            // so that the query still has exactly one decision
            String topic = state.earlier().equals(QueryState.SELECTED) ? SamplerTopology.DIVERSE_PAIRS : SamplerTopology.REJECTED_QUERIES;
            context.forward(new Record<>(state.queryId(), new DcrsOutput.Withdrawn(topic), now));
        }
        context.forward(new Record<>(state.queryId(), new DcrsOutput.Decided(decision.get()), now));
        switch (decision.get()) {
            case Decision.Selected selected ->
                    metrics.selected(selected.samples().samples().size(), selected.samples().minSimilarity());
            case Decision.Rejected rejected -> metrics.rejected(rejected.rejection().reason());
        }
        long createdAt = state.query() != null && state.query().createdAt() != null
                ? state.query().createdAt().toEpochMilli() : state.firstSeenMillis();
        metrics.latency(Duration.ofMillis(Math.max(0, now - createdAt)));
    }

    private void forgetOldDecisions(long now) {
        long cutoff = now - settings.decidedRetention().toMillis();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = decided.all()) {
            all.forEachRemaining((KeyValue<String, Long> entry) -> {
                if (entry.value < cutoff) {
                    old.add(entry.key);
                }
            });
        }
        old.forEach(queryId -> {
            decided.delete(queryId);
            states.delete(queryId);
        });
    }
}
