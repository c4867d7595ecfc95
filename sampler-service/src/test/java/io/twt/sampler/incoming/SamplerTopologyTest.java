package io.twt.sampler.incoming;

import static io.twt.sampler.TestRecords.embedding;
import static io.twt.sampler.TestRecords.failed;
import static io.twt.sampler.TestRecords.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twt.common.DeadLetterHeaders;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.RationaleEmbedding;
import io.twt.common.RecordCodec;
import io.twt.common.Redrive;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.sampler.domain.DcrsSettings;
import io.twt.sampler.domain.QueryState;
import io.twt.sampler.outgoing.SamplerMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SamplerTopologyTest {

    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);
    private static final RecordCodec<RationaleEmbedding> EMBEDDINGS = RecordCodec.of(RationaleEmbedding.class);
    private static final RecordCodec<DistillSampleSet> SAMPLE_SETS = RecordCodec.of(DistillSampleSet.class);
    private static final RecordCodec<Rejection> REJECTIONS = RecordCodec.of(Rejection.class);
    private static final DcrsSettings SETTINGS = new DcrsSettings(0.95, Duration.ofMinutes(5), Duration.ofSeconds(1),
            Duration.ofHours(1));

    private SimpleMeterRegistry registry;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> teacherOutputs;
    private TestInputTopic<String, byte[]> rationaleEmbeddings;
    private TestOutputTopic<String, byte[]> qualityFiltered;
    private TestOutputTopic<String, byte[]> diversePairs;
    private TestOutputTopic<String, byte[]> rejected;
    private TestOutputTopic<String, byte[]> outputsDlq;
    private TestOutputTopic<String, byte[]> embeddingsDlq;

    @BeforeEach
    void startDriver() throws Exception {
        registry = new SimpleMeterRegistry();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sampler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("sampler-ttd").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(SamplerTopology.build(SETTINGS, new SamplerMetrics(registry)), props,
                Instant.parse("2026-01-01T00:00:00Z"));
        teacherOutputs = driver.createInputTopic(SamplerTopology.TEACHER_OUTPUTS, new StringSerializer(), new ByteArraySerializer());
        rationaleEmbeddings = driver.createInputTopic(SamplerTopology.RATIONALE_EMBEDDINGS, new StringSerializer(), new ByteArraySerializer());
        qualityFiltered = output(SamplerTopology.QUALITY_FILTERED);
        diversePairs = output(SamplerTopology.DIVERSE_PAIRS);
        rejected = output(SamplerTopology.REJECTED_QUERIES);
        outputsDlq = output(Topic.TEACHER_OUTPUTS.dlq());
        embeddingsDlq = output(Topic.RATIONALE_EMBEDDINGS.dlq());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private QueryState decidedState(String queryId) {
        return (QueryState) driver.getKeyValueStore(SamplerTopology.QUERY_STATE_STORE).get(queryId);
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void send(TeacherOutput output) {
        teacherOutputs.pipeInput(output.queryId(), OUTPUTS.encode(output));
    }

    private void send(RationaleEmbedding embedding) {
        rationaleEmbeddings.pipeInput(embedding.queryId(), EMBEDDINGS.encode(embedding));
    }

    private List<DistillSampleSet> pairs() {
        return diversePairs.readValuesToList().stream().map(SAMPLE_SETS::decode).toList();
    }

    private List<Rejection> rejections() {
        return rejected.readValuesToList().stream().map(REJECTIONS::decode).toList();
    }

    private static List<String> teachers(DistillSampleSet set) {
        return set.samples().stream().map(DistillSample::teacher).toList();
    }

    private double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void withThreeKeptItWaitsForEveryEmbeddingThenChoosesTheLeastSimilarPair() {
        send(ok("q1", "alpha", 3, 0.97));
        send(ok("q1", "beta", 3, 0.99));
        send(ok("q1", "gamma", 3, 0.96));
        assertEquals(3, qualityFiltered.readValuesToList().size());

        send(embedding("q1", "alpha", 1, 0, 0));
        send(embedding("q1", "beta", 0.8f, 0.6f, 0));
        assertTrue(diversePairs.isEmpty(), "decided before gamma's embedding arrived");

        send(embedding("q1", "gamma", 0, 1, 0));
        List<DistillSampleSet> pairs = pairs();
        assertEquals(1, pairs.size());
        DistillSampleSet set = pairs.get(0);
        assertEquals(List.of("alpha", "gamma"), teachers(set));
        assertEquals(0.0, set.minSimilarity(), 1e-9);
        assertEquals(3, set.keptCount());
        assertEquals(3, set.teacherCount());
        assertEquals("rationale of gamma", set.samples().get(1).rationale());
        assertEquals(QueryState.SELECTED, decidedState("q1").decided(), "the decided state is kept for a re-drive");
        assertNotNull(driver.getKeyValueStore(SamplerTopology.DECIDED_STORE).get("q1"));
        assertEquals(1, registry.find("twt.sampler.pair.similarity").summary().count());
    }

    @Test
    void equallyDissimilarPairsAreBrokenByTeacherName() {
        for (String teacher : List.of("delta", "bravo", "charlie", "alpha")) {
            send(ok("q1", teacher, 4, 0.99));
            send(embedding("q1", teacher, 1, 1));
        }
        DistillSampleSet set = pairs().get(0);
        assertEquals(List.of("alpha", "bravo"), teachers(set));
        assertEquals(1.0, set.minSimilarity(), 1e-6);
        assertEquals(4, set.keptCount());
    }

    @Test
    void withTwoKeptBothAreSamplesWithoutWaitingForEmbeddings() {
        send(ok("q1", "alpha", 3, 0.96));
        send(ok("q1", "beta", 3, 0.50));
        send(ok("q1", "gamma", 3, 0.95));
        DistillSampleSet set = pairs().get(0);
        assertEquals(List.of("alpha", "gamma"), teachers(set));
        assertNull(set.minSimilarity());
        assertEquals(2, set.keptCount());
        assertEquals(2, qualityFiltered.readValuesToList().size(), "only kept outputs are sent to be embedded");
    }

    @Test
    void withOneKeptItIsTheOnlySample() {
        send(ok("q1", "alpha", 3, 0.2));
        send(failed("q1", "beta", 3, TeacherStatus.FAILED));
        send(ok("q1", "gamma", 3, 0.99));
        DistillSampleSet set = pairs().get(0);
        assertEquals(List.of("gamma"), teachers(set));
        assertEquals(1, set.keptCount());
        assertTrue(rejected.isEmpty());
    }

    @Test
    void noConfidentAnswerIsRejectedAsAllLowConfidence() {
        send(ok("q1", "alpha", 2, 0.94));
        send(failed("q1", "beta", 2, TeacherStatus.UNPARSEABLE));
        Rejection rejection = rejections().get(0);
        assertEquals(Rejection.Reason.ALL_LOW_CONFIDENCE, rejection.reason());
        assertEquals("q1", rejection.queryId());
        assertTrue(rejection.detail().contains("2 of 2 teachers reported"), rejection.detail());
        assertTrue(diversePairs.isEmpty());
        assertEquals(1, counter("twt.sampler.rejections", "reason", "ALL_LOW_CONFIDENCE"));
    }

    @Test
    void noAnswerAtAllIsRejectedAsAllFailed() {
        send(failed("q1", "alpha", 2, TeacherStatus.FAILED));
        send(failed("q1", "beta", 2, TeacherStatus.UNPARSEABLE));
        assertEquals(Rejection.Reason.ALL_FAILED, rejections().get(0).reason());
        assertTrue(qualityFiltered.isEmpty());
    }

    @Test
    void aQueryMissingTeachersWithNothingKeptIsRejectedAtTheDeadline() {
        send(ok("q1", "alpha", 3, 0.5));
        driver.advanceWallClockTime(SETTINGS.deadline().minusSeconds(2));
        assertTrue(rejected.isEmpty(), "rejected before the deadline");
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        Rejection rejection = rejections().get(0);
        assertEquals(Rejection.Reason.DEADLINE, rejection.reason());
        assertTrue(rejection.detail().contains("1 of 3 teachers reported"), rejection.detail());
        assertEquals(QueryState.REJECTED, decidedState("q1").decided());
    }

    @Test
    void atTheDeadlineTheKeptOutputsThatArrivedAreTheSamples() {
        send(ok("q1", "alpha", 3, 0.99));
        send(ok("q1", "beta", 3, 0.98));
        driver.advanceWallClockTime(SETTINGS.deadline().plusSeconds(1));
        DistillSampleSet set = pairs().get(0);
        assertEquals(List.of("alpha", "beta"), teachers(set));
        assertEquals(3, set.teacherCount());
    }

    @Test
    void atTheDeadlineThreeKeptAreChosenAmongThoseWithEmbeddings() {
        send(ok("q1", "alpha", 3, 0.99));
        send(ok("q1", "beta", 3, 0.98));
        send(ok("q1", "gamma", 3, 0.97));
        send(embedding("q1", "beta", 1, 0));
        send(embedding("q1", "gamma", 0.6f, 0.8f));
        driver.advanceWallClockTime(SETTINGS.deadline().plusSeconds(1));
        DistillSampleSet set = pairs().get(0);
        assertEquals(List.of("beta", "gamma"), teachers(set));
        assertEquals(0.6, set.minSimilarity(), 1e-6);
        assertEquals(3, set.keptCount());
    }

    @Test
    void atTheDeadlineThreeKeptWithFewerThanTwoEmbeddingsAreRejected() {
        send(ok("q1", "alpha", 3, 0.99));
        send(ok("q1", "beta", 3, 0.98));
        send(ok("q1", "gamma", 3, 0.97));
        send(embedding("q1", "beta", 1, 0));
        driver.advanceWallClockTime(SETTINGS.deadline().plusSeconds(1));
        Rejection rejection = rejections().get(0);
        assertEquals(Rejection.Reason.DEADLINE, rejection.reason());
        assertTrue(rejection.detail().contains("only 1 embedding"), rejection.detail());
    }

    @Test
    void anEmbeddingArrivingBeforeItsOutputIsJoined() {
        send(embedding("q1", "alpha", 1, 0));
        send(embedding("q1", "beta", 0, 1));
        send(embedding("q1", "gamma", 1, 1));
        send(ok("q1", "alpha", 3, 0.99));
        send(ok("q1", "beta", 3, 0.99));
        assertTrue(diversePairs.isEmpty());
        send(ok("q1", "gamma", 3, 0.99));
        assertEquals(List.of("alpha", "beta"), teachers(pairs().get(0)));
    }

    @Test
    void duplicateOutputsAndEmbeddingsChangeNothing() {
        send(ok("q1", "alpha", 3, 0.99));
        send(ok("q1", "alpha", 3, 0.10));
        send(ok("q1", "beta", 3, 0.99));
        send(embedding("q1", "alpha", 1, 0));
        send(embedding("q1", "alpha", 0, 1));
        send(embedding("q1", "beta", 0, 1));
        assertTrue(diversePairs.isEmpty(), "a duplicate was counted as the third teacher");
        send(ok("q1", "gamma", 3, 0.99));
        send(embedding("q1", "gamma", 1, 0));
        DistillSampleSet set = pairs().get(0);
        assertEquals(List.of("alpha", "beta"), teachers(set), "the first alpha embedding counts, not its duplicate");
        assertEquals(3, qualityFiltered.readValuesToList().size(), "a duplicate output was sent to be embedded again");
        assertEquals(1, counter("twt.sampler.ignored.records", "kind", "duplicate-output"));
        assertEquals(1, counter("twt.sampler.ignored.records", "kind", "duplicate-embedding"));
    }

    @Test
    void lateRecordsAfterTheDecisionDoNotDecideAgain() {
        send(ok("q1", "alpha", 2, 0.99));
        send(ok("q1", "beta", 2, 0.99));
        assertEquals(1, pairs().size());
        send(embedding("q1", "alpha", 1, 0));
        send(ok("q1", "beta", 2, 0.99));
        send(ok("q1", "gamma", 2, 0.99));
        driver.advanceWallClockTime(SETTINGS.deadline().plusSeconds(1));
        assertTrue(diversePairs.isEmpty());
        assertTrue(rejected.isEmpty());
        assertEquals(Set.of("alpha", "beta"), decidedState("q1").outputs().keySet(), "a late output changed the decided state");
        assertEquals(3, counter("twt.sampler.ignored.records", "kind", "after-decision"));
    }

    @Test
    void decidedIdsAreForgottenAfterTheRetention() {
        send(ok("q1", "alpha", 1, 0.99));
        assertEquals(1, pairs().size());
        driver.advanceWallClockTime(SETTINGS.decidedRetention().plus(DcrsProcessor.PURGE_INTERVAL).plusSeconds(1));
        assertNull(driver.getKeyValueStore(SamplerTopology.DECIDED_STORE).get("q1"));
    }

    @Test
    void malformedRecordsGoToTheirDeadLetterTopicsAndTheStreamGoesOn() {
        teacherOutputs.pipeInput("bad-1", "{not json".getBytes(StandardCharsets.UTF_8));
        TeacherOutput lying = ok("q2", "alpha", 1, 0.99);
        teacherOutputs.pipeInput("q-other", OUTPUTS.encode(lying));
        teacherOutputs.pipeInput("q3", "{\"schemaVersion\":1,\"queryId\":\"q3\"}".getBytes(StandardCharsets.UTF_8));
        rationaleEmbeddings.pipeInput("q4", "{\"schemaVersion\":1,\"queryId\":\"q4\",\"teacher\":\"a\",\"model\":\"m\",\"vector\":[]}"
                .getBytes(StandardCharsets.UTF_8));

        List<TestRecord<String, byte[]>> dead = outputsDlq.readRecordsToList();
        assertEquals(3, dead.size());
        assertEquals("{not json", new String(dead.get(0).value(), StandardCharsets.UTF_8));
        assertTrue(header(dead.get(0), DeadLetterHeaders.REASON).contains("invalid JSON"));
        assertEquals(SamplerTopology.TEACHER_OUTPUTS, header(dead.get(0), DeadLetterHeaders.TOPIC));
        assertEquals("0", header(dead.get(0), DeadLetterHeaders.OFFSET));
        assertTrue(header(dead.get(1), DeadLetterHeaders.REASON).contains("is not its queryId"));
        assertTrue(header(dead.get(2), DeadLetterHeaders.REASON).startsWith("missing field"),
                header(dead.get(2), DeadLetterHeaders.REASON));
        TestRecord<String, byte[]> deadEmbedding = embeddingsDlq.readRecord();
        assertEquals("field 'vector' is empty", header(deadEmbedding, DeadLetterHeaders.REASON));
        assertEquals(3, counter("twt.sampler.dead.letters", "topic", SamplerTopology.TEACHER_OUTPUTS));

        send(ok("q5", "alpha", 1, 0.99));
        assertEquals("q5", pairs().get(0).queryId());
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The output a re-drive brings: the query carries the re-drive request, the record its number. */
    private static TeacherOutput redriven(TeacherOutput output, Redrive request) {
        return new TeacherOutput(output.schemaVersion(), output.queryId(), output.query().withRedrive(request), output.teacher(),
                output.teacherCount(), output.status(), output.rationale(), output.answer(), output.factors(),
                output.confidence(), output.usage(), output.latencyMs(), output.attempts(), output.error(), null, request.number());
    }

    /** The accounting invariant on the compacted decision topics: the latest value per key, tombstones removing it. */
    private static Map<String, String> latestDecisions(List<TestRecord<String, byte[]>> pairs,
                                                       List<TestRecord<String, byte[]>> rejections) {
        Map<String, String> latest = new TreeMap<>();
        Map<String, Integer> perQuery = new HashMap<>();
        for (var record : pairs) {
            if (record.value() == null) latest.remove("pairs:" + record.key()); else latest.put("pairs:" + record.key(), "selected");
        }
        for (var record : rejections) {
            if (record.value() == null) latest.remove("rejected:" + record.key()); else latest.put("rejected:" + record.key(), "rejected");
        }
        latest.keySet().forEach(k -> perQuery.merge(k.substring(k.indexOf(':') + 1), 1, Integer::sum));
        perQuery.forEach((query, count) -> assertEquals(1, count, query + " has " + count + " decisions: " + latest));
        return latest;
    }

    @Test
    void aRedriveOfAnAllFailedQueryDecidesItOnceMoreAndWithdrawsTheRejection() {
        send(failed("q1", "alpha", 3, TeacherStatus.FAILED));
        send(failed("q1", "beta", 3, TeacherStatus.FAILED));
        send(ok("q1", "gamma", 3, 0.5));
        send(ok("q2", "alpha", 3, 0.99));
        send(ok("q2", "beta", 3, 0.99));
        send(failed("q2", "gamma", 3, TeacherStatus.FAILED));
        var firstPairs = diversePairs.readRecordsToList();
        var firstRejections = rejected.readRecordsToList();
        assertEquals(Rejection.Reason.ALL_LOW_CONFIDENCE, REJECTIONS.decode(firstRejections.get(0).value()).reason());

        Redrive request = new Redrive(1, List.of("alpha", "beta"));
        send(redriven(ok("q1", "alpha", 3, 0.97), request));
        assertTrue(diversePairs.isEmpty() && rejected.isEmpty(), "decided before beta answered the re-drive");
        send(failed("q1", "beta", 3, TeacherStatus.FAILED));
        assertTrue(diversePairs.isEmpty() && rejected.isEmpty(), "a redelivered first answer of beta counted for the re-drive");
        send(redriven(ok("q1", "beta", 3, 0.99), request));

        var revisedPairs = diversePairs.readRecordsToList();
        var revisedRejections = rejected.readRecordsToList();
        assertEquals(1, revisedPairs.size());
        assertEquals(List.of("alpha", "beta"), teachers(SAMPLE_SETS.decode(revisedPairs.get(0).value())));
        assertEquals(1, revisedRejections.size());
        assertNull(revisedRejections.get(0).value(), "the first decision is withdrawn by a tombstone");

        send(redriven(ok("q1", "beta", 3, 0.99), request));
        send(embedding("q1", "alpha", 1, 0));
        assertTrue(diversePairs.isEmpty() && rejected.isEmpty(), "the re-drive decided once");

        List<TestRecord<String, byte[]>> allPairs = new ArrayList<>(firstPairs);
        allPairs.addAll(revisedPairs);
        List<TestRecord<String, byte[]>> allRejections = new ArrayList<>(firstRejections);
        allRejections.addAll(revisedRejections);
        assertEquals(Map.of("pairs:q1", "selected", "pairs:q2", "selected"), latestDecisions(allPairs, allRejections));
    }

    @Test
    void aRedriveThatBringsAThirdKeptRationaleChoosesThePairAgainFromEveryEmbedding() {
        send(ok("q1", "alpha", 3, 0.97));
        send(ok("q1", "beta", 3, 0.99));
        send(failed("q1", "gamma", 3, TeacherStatus.FAILED));
        assertEquals(List.of("alpha", "beta"), teachers(pairs().get(0)));
        send(embedding("q1", "alpha", 1, 0, 0));
        send(embedding("q1", "beta", 0.8f, 0.6f, 0));

        Redrive request = new Redrive(1, List.of("gamma"));
        send(redriven(ok("q1", "gamma", 3, 0.96), request));
        assertTrue(diversePairs.isEmpty(), "decided before gamma's embedding");
        send(embedding("q1", "gamma", 0, 1, 0));

        DistillSampleSet revised = pairs().get(0);
        assertEquals(List.of("alpha", "gamma"), teachers(revised));
        assertEquals(3, revised.keptCount());
        assertTrue(rejected.isEmpty(), "selected before and after: the compacted topic keeps the latest, no tombstone");
    }
}
