package io.twt.sampler.incoming;

import io.quarkus.kafka.client.serialization.ObjectMapperSerde;
import io.twt.common.DistillSampleSet;
import io.twt.common.Json;
import io.twt.common.RationaleEmbedding;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.common.Validated;
import io.twt.sampler.SamplerSettings;
import io.twt.sampler.domain.DcrsSettings;
import io.twt.sampler.domain.Decision;
import io.twt.sampler.domain.QueryState;
import io.twt.sampler.outgoing.SamplerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** The sampler's Kafka Streams topology: decode, join per query, decide, route. */
@ApplicationScoped
public class SamplerTopology {

    /** Undecided queries: their teacher outputs and the embeddings of the kept ones. */
    public static final String QUERY_STATE_STORE = "dcrs-query-state";
    /** Decided query ids with the wall-clock time of the decision, kept for the configured retention. */
    public static final String DECIDED_STORE = "dcrs-decided-queries";

    public static final String TEACHER_OUTPUTS = Topic.TEACHER_OUTPUTS.topicName();
    public static final String RATIONALE_EMBEDDINGS = Topic.RATIONALE_EMBEDDINGS.topicName();
    public static final String QUALITY_FILTERED = Topic.QUALITY_FILTERED.topicName();
    public static final String DIVERSE_PAIRS = Topic.DIVERSE_PAIRS.topicName();
    public static final String REJECTED_QUERIES = Topic.REJECTED_QUERIES.topicName();

    private static final Serde<TeacherOutput> TEACHER_OUTPUT_SERDE = new ObjectMapperSerde<>(TeacherOutput.class, Json.MAPPER);
    private static final Serde<DistillSampleSet> SAMPLE_SET_SERDE = new ObjectMapperSerde<>(DistillSampleSet.class, Json.MAPPER);
    private static final Serde<Rejection> REJECTION_SERDE = new ObjectMapperSerde<>(Rejection.class, Json.MAPPER);
    private static final Serde<QueryState> QUERY_STATE_SERDE = new ObjectMapperSerde<>(QueryState.class, Json.MAPPER);

    private final SamplerSettings config;
    private final SamplerMetrics metrics;

    public SamplerTopology(SamplerSettings config, SamplerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    @Produces
    public Topology buildTopology() {
        return build(config.settings(), metrics);
    }

    public static Topology build(DcrsSettings settings, SamplerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        // in-memory stores are rebuilt from their changelog topics at every start, so the state always matches
        // the broker: a local disk copy could outlive a reset broker and silently ignore its queries as decided
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(QUERY_STATE_STORE),
                Serdes.String(), QUERY_STATE_SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DECIDED_STORE),
                Serdes.String(), Serdes.Long()));

        // 1. decode both inputs; what does not decode goes to the topic's .dlq with the reason in its headers
        KStream<String, DcrsInput> outputs = decoded(builder, Topic.TEACHER_OUTPUTS, TeacherOutput.class,
                TeacherOutput::queryId, metrics).mapValues(DcrsInput.Output::new);
        KStream<String, DcrsInput> embeddings = decoded(builder, Topic.RATIONALE_EMBEDDINGS, RationaleEmbedding.class,
                RationaleEmbedding::queryId, metrics).mapValues(DcrsInput.Embedding::new);

        // 2. both topics are keyed by query id with the same partition count, so one task sees all of a
        //    query's records without repartitioning; the processor joins them and decides
        KStream<String, DcrsOutput> results = outputs.merge(embeddings, Named.as("teacher-outputs-and-embeddings"))
                .process(() -> new DcrsProcessor(settings, metrics), Named.as("dcrs"), QUERY_STATE_STORE, DECIDED_STORE);

        // 3. route: kept outputs to be embedded, decisions to their topics, and a tombstone where a re-drive
        //    turned a decision the other way (both decision topics are compacted: one decision per query stays);
        //    tombstones go through the byte serde, since the JSON serde writes a null as the text "null"
        results.split(Named.as("route-"))
                .branch((queryId, out) -> out instanceof DcrsOutput.Kept, Branched.withConsumer(kept -> kept
                        .mapValues(out -> ((DcrsOutput.Kept) out).output())
                        .to(QUALITY_FILTERED, Produced.with(Serdes.String(), TEACHER_OUTPUT_SERDE)), "kept"))
                .branch((queryId, out) -> decision(out) instanceof Decision.Selected, Branched.withConsumer(selected -> selected
                        .mapValues(out -> ((Decision.Selected) decision(out)).samples())
                        .to(DIVERSE_PAIRS, Produced.with(Serdes.String(), SAMPLE_SET_SERDE)), "selected"))
                .branch((queryId, out) -> decision(out) instanceof Decision.Rejected, Branched.withConsumer(rejected -> rejected
                        .mapValues(out -> ((Decision.Rejected) decision(out)).rejection())
                        .to(REJECTED_QUERIES, Produced.with(Serdes.String(), REJECTION_SERDE)), "rejected"))
                .branch((queryId, out) -> out instanceof DcrsOutput.Withdrawn(String topic) && topic.equals(DIVERSE_PAIRS),
                        Branched.withConsumer(withdrawn -> withdrawn.mapValues(out -> (byte[]) null)
                                .to(DIVERSE_PAIRS, Produced.with(Serdes.String(), Serdes.ByteArray())), "withdrawn-selection"))
                .branch((queryId, out) -> out instanceof DcrsOutput.Withdrawn(String topic) && topic.equals(REJECTED_QUERIES),
                        Branched.withConsumer(withdrawn -> withdrawn.mapValues(out -> (byte[]) null)
                                .to(REJECTED_QUERIES, Produced.with(Serdes.String(), Serdes.ByteArray())), "withdrawn-rejection"))
                .noDefaultBranch();
        return builder.build();
    }

    private static Decision decision(DcrsOutput out) {
        return out instanceof DcrsOutput.Decided(Decision decision) ? decision : null;
    }

    private static <T extends Validated> KStream<String, T> decoded(StreamsBuilder builder, Topic topic, Class<T> type,
                                                                    Function<T, String> queryIdOf, SamplerMetrics metrics) {
        KStream<String, Decoded<T>> decoded = builder
                .stream(topic.topicName(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .processValues(() -> new DecodeProcessor<>(topic.codec(type), queryIdOf, metrics),
                        Named.as("decode-" + topic.topicName()));
        decoded.filter((key, record) -> !record.valid(), Named.as("undecodable-" + topic.topicName()))
                .mapValues(Decoded::raw)
                .to(topic.dlq(), Produced.with(Serdes.String(), Serdes.ByteArray()));
        return decoded.filter((key, record) -> record.valid(), Named.as("decoded-" + topic.topicName()))
                .mapValues(Decoded::value);
    }
}
