package io.twt.cli;

import io.twt.common.RecordCodec;
import io.twt.common.Topic;
import io.twt.common.Validated;
import io.twt.kafka.edge.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Read-only looks at the broker for the CLI: records per topic, consumer lag, a compacted topic's latest values. */
final class KafkaView implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;

    KafkaView(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    }

    boolean reachable() {
        try {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Per catalogue topic: records held (end minus start offsets) and the summed lag of every consumer group. */
    Map<String, TopicFigures> topicFigures() throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
        for (String name : Topic.allNames()) {
            if (existing.contains(name)) {
                admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()
                        .forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
            }
        }
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
        Map<String, Long> lag = new HashMap<>();
        Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(5, TimeUnit.SECONDS);
        for (ConsumerGroupListing group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            committed.forEach((tp, offset) -> {
                if (offset != null && ends.containsKey(tp)) {
                    lag.merge(tp.topic(), Math.max(0, ends.get(tp) - offset.offset()), Long::sum);
                }
            });
        }
        Map<String, TopicFigures> figures = new LinkedHashMap<>();
        for (String name : Topic.allNames()) {
            long records = partitions.stream().filter(tp -> tp.topic().equals(name))
                    .mapToLong(tp -> ends.get(tp) - starts.get(tp)).sum();
            figures.put(name, new TopicFigures(records, lag.getOrDefault(name, 0L)));
        }
        return figures;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    /** The latest value per key of a topic, read from the beginning to the end it had when asked. */
    <T extends Validated> Map<String, T> latestByKey(Topic topic, Class<T> type) {
        RecordCodec<T> codec = topic.codec(type);
        Map<String, T> latest = new LinkedHashMap<>();
        readAll(topic, record -> {
            if (record.value() == null) {
                // a tombstone on a compacted topic: the key's value was withdrawn
                latest.remove(record.key());
                return;
            }
            try {
                latest.put(record.key(), codec.decode(record.value()));
            } catch (RuntimeException malformed) {
                // a bad record on a report topic is its producer's bug; the view shows the good ones
            }
        });
        return latest;
    }

    /** Every record of the topic from its beginning to its end as of now, in order within each partition (20 s at most). */
    void readAll(Topic topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
        new KafkaClients(bootstrap).topicReader("twt-cli").readToEnd(topic.topicName(), Map.of(), Duration.ofSeconds(20), each);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }

    record TopicFigures(long records, long lag) {
    }
}
