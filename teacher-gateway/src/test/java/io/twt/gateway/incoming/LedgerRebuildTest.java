package io.twt.gateway.incoming;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Topic;
import io.twt.common.Usage;
import io.twt.gateway.LabTeachersResource;
import io.twt.gateway.config.GatewaySettings;
import io.twt.gateway.domain.DoneLedger;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.testsupport.TestTopics;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restarted gateway (fresh ledger, offsets not yet committed past some queries) learns from
 * twt.teacher-outputs which (query, teacher) pairs already have their record, on the real broker.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class LedgerRebuildTest {

    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);

    @Inject
    GatewaySettings config;

    @Test
    @Timeout(60)
    void onAssignmentTheRecordsAlreadyWrittenForPendingQueriesAreMarkedDone() {
        String bootstrap = LocalKafkaResource.broker().bootstrapServers();
        TestTopics topics = new TestTopics(bootstrap);
        Query pending = Query.of("rebuild-" + UUID.randomUUID(), TaskKind.MATH, "What is 2 + 2?", null, null, "test", "4");
        topics.send(Topic.QUERIES.topicName(), pending.id(), QUERIES.encode(pending));
        // teacher names this gateway does not have, so its own processing of the query cannot interfere
        TeacherOutput written = new TeacherOutput(SchemaVersion.CURRENT, pending.id(), pending, "retired-teacher", 3,
                TeacherStatus.OK, "2 + 2 = 4", "4", Map.of("correctness", 1.0), 1.0, new Usage(5, 5), 3, 1, null);
        topics.send(Topic.TEACHER_OUTPUTS.topicName(), pending.id(), OUTPUTS.encode(written));
        DoneLedger restarted = new DoneLedger(1000);
        LedgerRebuild rebuild = new LedgerRebuild(restarted, new InFlightQueries(), bootstrap, config);

        // a consumer group that never committed: every query on the topic counts as pending
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "rebuild-test-" + UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topic.QUERIES.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            rebuild.onPartitionsAssigned(consumer, partitions);
        }

        assertTrue(restarted.isDone(pending.id(), "retired-teacher"), "the written pair is done");
        assertFalse(restarted.isDone(pending.id(), "unasked-teacher"), "an unwritten pair is still to do");
    }
}
