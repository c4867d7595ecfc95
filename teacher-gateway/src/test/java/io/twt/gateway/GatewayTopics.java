package io.twt.gateway;

import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.testsupport.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The gateway's topics as tests use them: push queries, await their outputs, and read everything for exact counts. */
final class GatewayTopics {

    static final String GROUP = "teacher-gateway";
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);
    private static final RecordCodec<TeacherOutput> OUTPUTS = RecordCodec.of(TeacherOutput.class);

    private final String bootstrap;

    GatewayTopics(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Sends the queries keyed by id; returns where each landed, to check later that the gateway committed past it. */
    Map<TopicPartition, Long> push(Collection<Query> queries) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            List<RecordMetadata> sent = new ArrayList<>();
            for (Query query : queries) {
                sent.add(producer.send(new ProducerRecord<>(Topic.QUERIES.topicName(), query.id(), QUERIES.encode(query))).get());
            }
            return sent.stream().collect(Collectors.toMap(m -> new TopicPartition(m.topic(), m.partition()),
                    RecordMetadata::offset, Math::max));
        } catch (Exception e) {
            throw new IllegalStateException("could not push queries", e);
        }
    }

    /** Waits until {@code count} outputs for these query ids are on the topic. */
    List<TeacherOutput> awaitOutputs(Set<String> queryIds, int count, Duration wait) {
        return new TestTopics(bootstrap).awaitRecords(Topic.TEACHER_OUTPUTS.topicName(), count,
                        r -> queryIds.contains(r.key()), wait)
                .stream().map(r -> OUTPUTS.decode(r.value())).toList();
    }

    /** Waits until the gateway's consumer group has committed past every given offset (its queries are done). */
    void awaitCommittedPast(Map<TopicPartition, Long> lastOffsets, Duration wait) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                boolean past = lastOffsets.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() > e.getValue());
                if (past) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("gateway did not commit past " + lastOffsets + " within " + wait + "; committed " + committed);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Every output now on the topic for these query ids: reads each partition to its current end. */
    List<TeacherOutput> allOutputs(Set<String> queryIds) {
        return new TestTopics(bootstrap).committed(Topic.TEACHER_OUTPUTS.topicName()).stream()
                .filter(record -> queryIds.contains(record.key()))
                .map(record -> OUTPUTS.decode(record.value()))
                .toList();
    }
}
