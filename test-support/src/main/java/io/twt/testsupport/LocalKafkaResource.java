package io.twt.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.twt.kafka.LocalKafka;
import java.util.Map;

/**
 * Quarkus test resource: one real broker per test JVM (started on first use, stopped at JVM exit),
 * with {@code kafka.bootstrap.servers} pointed at it and Dev Services off, since they need Docker.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalKafka kafka;

    public static synchronized LocalKafka broker() {
        if (kafka == null) {
            kafka = LocalKafka.startTemporary();
            LocalKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-shutdown"));
        }
        return kafka;
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = broker().bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.kafka-streams.bootstrap-servers", bootstrap,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; the shutdown hook stops it
    }
}
