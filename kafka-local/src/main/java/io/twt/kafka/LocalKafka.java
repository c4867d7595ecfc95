package io.twt.kafka;

import io.twt.common.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one), run from the Kafka
 * jars inside this JVM, as {@code bin/kafka-server-start.sh} would run it: format the storage with a
 * cluster id, start, wait until it answers, create the catalogue's topics; {@link #close()} stops it and
 * deletes its data unless asked to keep it.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final String bootstrapServers;

    private LocalKafka(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, String bootstrapServers) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.bootstrapServers = bootstrapServers;
    }

    /** A throw-away broker on free ports whose data is deleted on close: what tests want. */
    public static LocalKafka startTemporary() {
        try {
            return start(Files.createTempDirectory("twt-kafka-"), 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker whose data lives in {@code dataDir}; an already formatted directory is reused, so
     * a restarted broker keeps its topics. Port 0 picks a free port.
     */
    public static LocalKafka start(Path dataDir, int port, boolean deleteOnClose) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            Properties identity = identity(dataDir);
            int controllerPort = Integer.parseInt(identity.getProperty("controller.port"));
            Properties props = serverProperties(dataDir.resolve("logs"), brokerPort, controllerPort);
            format(dataDir, props, identity.getProperty("cluster.id"));
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            LocalKafka kafka = new LocalKafka(server, dataDir, deleteOnClose, bootstrap);
            kafka.awaitReadyAndCreateTopics();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The settings of Kafka's own single-node {@code config/server.properties}, with our ports and data. */
    static Properties serverProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // one broker: internal topics cannot have more replicas, or transactions and EOS streams hang
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", String.valueOf(Topic.PARTITIONS));
        props.put("log.flush.interval.messages", "10000");
        return props;
    }

    /**
     * The cluster id and controller port of this data directory, made on first start and kept, so that a
     * restarted broker finds the metadata it formatted (a new id would not match meta.properties).
     */
    private static Properties identity(Path dataDir) throws IOException {
        Path file = dataDir.resolve("twt-kafka.properties");
        Properties identity = new Properties();
        if (Files.exists(file)) {
            try (var reader = Files.newBufferedReader(file)) {
                identity.load(reader);
            }
            return identity;
        }
        identity.setProperty("cluster.id", Uuid.randomUuid().toString());
        identity.setProperty("controller.port", String.valueOf(freePort()));
        try (Writer writer = Files.newBufferedWriter(file)) {
            identity.store(writer, "twt local Kafka identity: kept across restarts");
        }
        return identity;
    }

    private static void format(Path dataDir, Properties props, String clusterId) throws IOException {
        Path configFile = dataDir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(configFile)) {
            props.store(writer, "twt local Kafka (KRaft, single node)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = StorageTool.execute(new String[]{"format", "--cluster-id", clusterId,
                "--config", configFile.toString(), "--ignore-formatted"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReadyAndCreateTopics() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    createCatalogueTopics(admin);
                    awaitLeadersServing(admin);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                                + READY_TIMEOUT.toSeconds() + "s", e);
                    }
                    sleep(200);
                }
            }
        }
    }

    /** Creates every catalogue topic (and its dead-letter topic) that does not exist yet. */
    public static void createCatalogueTopics(Admin admin) throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            if (!existing.contains(topic.topicName())) {
                missing.add(new NewTopic(topic.topicName(), topic.partitions(), (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, topic.cleanup().config())));
            }
            if (!existing.contains(topic.dlq())) {
                missing.add(new NewTopic(topic.dlq(), topic.partitions(), (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));
            }
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * Returns once the broker answers as leader for every catalogue partition. createTopics returns when the
     * controller has the topics, a moment before the broker serves them; an idempotent producer that sends in
     * that moment can have its first batch refused and a later one accepted, and then retries the first
     * until delivery.timeout.ms drops it (KAFKA-15591, fixed after Kafka 4.1).
     */
    private static void awaitLeadersServing(Admin admin) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (Topic topic : Topic.values()) {
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.put(new TopicPartition(topic.topicName(), p), OffsetSpec.latest());
                partitions.put(new TopicPartition(topic.dlq(), p), OffsetSpec.latest());
            }
        }
        admin.listOffsets(partitions).all().get();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    /** A loopback port free now: for the broker, and for the services tests start beside it. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
