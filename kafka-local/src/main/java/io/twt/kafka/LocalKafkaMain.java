package io.twt.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link LocalKafka} as its own process until it is stopped (SIGTERM / Ctrl-C):
 * {@code java -cp 'kafka-local/target/lib/*:kafka-local/target/kafka-local.jar' io.twt.kafka.LocalKafkaMain
 * [--port N] [--data-dir DIR] [--bootstrap-file FILE]}. The bootstrap address is printed and, if asked,
 * written to a file once the broker answers, so a launcher can wait for that file.
 */
public final class LocalKafkaMain {

    private LocalKafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path dataDir = Path.of(".twt", "kafka");
        Path bootstrapFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--bootstrap-file" -> bootstrapFile = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: LocalKafkaMain [--port N] [--data-dir DIR] [--bootstrap-file FILE]");
                    System.exit(2);
                }
            }
        }
        LocalKafka kafka = LocalKafka.start(dataDir, port, false);
        CountDownLatch stopped = new CountDownLatch(1);
        Path written = bootstrapFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            if (written != null) {
                written.toFile().delete();
            }
            stopped.countDown();
        }, "kafka-shutdown"));
        if (bootstrapFile != null) {
            Files.writeString(bootstrapFile, kafka.bootstrapServers());
        }
        System.out.println("Kafka (KRaft, single node) ready at " + kafka.bootstrapServers() + ", data in " + dataDir);
        stopped.await();
    }
}
