import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.twt.common.Cosine;
import io.twt.embedding.domain.EncoderSettings;
import io.twt.embedding.domain.SentenceEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts per second of embedding-service's batched encoder (SentenceEncoder, the class its Kafka consumer and
 * POST /embed call) against langchain4j's in-process all-MiniLM-L6-v2 (embedAll), on the same lab rationales,
 * in chunks of one poll (64 records, the service's max.poll.records). Prints both figures and the ratio.
 */
public final class EmbeddingBench {

    private static final int CHUNK = 64;
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int perKind = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        List<String> texts = new ArrayList<>();
        LabRationales.answers(LabRationales.queries(perKind, 11)).values()
                .forEach(answers -> answers.forEach(a -> texts.add(a.rationale())));
        double meanChars = texts.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("texts: %d lab rationales (3 personas x %d queries x 3 kinds), mean %.0f characters%n",
                texts.size(), perKind, meanChars);
        System.out.printf("cores: %d, load average before: %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());

        try (SentenceEncoder ours = SentenceEncoder.load(EncoderSettings.bundledMiniLm(
                Path.of(System.getProperty("java.io.tmpdir"), "twt-models"), batchSize))) {
            System.out.printf("embedding-service batch size: %d windows%n", batchSize);
            AllMiniLmL6V2EmbeddingModel theirs = new AllMiniLmL6V2EmbeddingModel();
            List<String> first = texts.subList(0, Math.min(CHUNK, texts.size()));
            List<float[]> ourVectors = ours.embed(first);
            var theirVectors = theirs.embedAll(first.stream().map(TextSegment::from).toList()).content();
            double minCosine = 1;
            for (int i = 0; i < first.size(); i++) {
                minCosine = Math.min(minCosine, Cosine.similarity(ourVectors.get(i), theirVectors.get(i).vector()));
            }
            System.out.printf("agreement on the first %d texts: min cosine %.6f%n", first.size(), minCosine);

            // rounds alternate between the two so both see the same load; totals over all rounds are reported
            Totals oursTotal = new Totals();
            Totals theirsTotal = new Totals();
            for (int round = 1; round <= ROUNDS; round++) {
                Totals oursRound = Totals.measure(texts.size(), () -> {
                    for (int i = 0; i < texts.size(); i += CHUNK) {
                        ours.embed(texts.subList(i, Math.min(texts.size(), i + CHUNK)));
                    }
                });
                Totals theirsRound = Totals.measure(texts.size(), () -> {
                    for (int i = 0; i < texts.size(); i += CHUNK) {
                        theirs.embedAll(texts.subList(i, Math.min(texts.size(), i + CHUNK)).stream().map(TextSegment::from).toList());
                    }
                });
                System.out.printf("round %d: embedding-service %s | langchain4j %s%n", round, oursRound, theirsRound);
                oursTotal.add(oursRound);
                theirsTotal.add(theirsRound);
            }
            System.out.printf("all rounds: embedding-service %s | langchain4j in-process %s%n", oursTotal, theirsTotal);
            System.out.printf("ratio (embedding-service / langchain4j): %.2f in texts/s, %.2f in texts per CPU-second%n",
                    oursTotal.textsPerSecond() / theirsTotal.textsPerSecond(),
                    oursTotal.textsPerCpuSecond() / theirsTotal.textsPerCpuSecond());
            System.out.printf("load average after: %s (other processes share these cores: compare the ratio, not the rates)%n",
                    loadAverage());
        }
    }

    /** Texts embedded, wall-clock seconds and this process's CPU seconds (all threads, native ones included). */
    private static final class Totals {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long texts;
        double seconds;
        double cpuSeconds;

        static Totals measure(int texts, Runnable work) {
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            work.run();
            Totals totals = new Totals();
            totals.seconds = (System.nanoTime() - start) / 1e9;
            totals.cpuSeconds = (OS.getProcessCpuTime() - cpu) / 1e9;
            totals.texts = texts;
            return totals;
        }

        void add(Totals other) {
            texts += other.texts;
            seconds += other.seconds;
            cpuSeconds += other.cpuSeconds;
        }

        double textsPerSecond() {
            return texts / seconds;
        }

        double textsPerCpuSecond() {
            return texts / cpuSeconds;
        }

        @Override
        public String toString() {
            return String.format("%.1f texts/s, %.1f texts per CPU-second", textsPerSecond(), textsPerCpuSecond());
        }
    }

    private static String loadAverage() throws java.io.IOException {
        java.nio.file.Path loadavg = Path.of("/proc/loadavg");
        return java.nio.file.Files.exists(loadavg) ? java.nio.file.Files.readString(loadavg).trim() : "unknown";
    }

}
