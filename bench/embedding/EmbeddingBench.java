import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.twt.common.Cosine;
import io.twt.embedding.domain.BundledMiniLm;
import io.twt.embedding.domain.EncoderSettings;
import io.twt.embedding.domain.PassShape;
import io.twt.embedding.domain.SentenceEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts per second of embedding-service's batched encoder (SentenceEncoder, the class its Kafka consumer and
 * POST /embed call) against langchain4j's in-process all-MiniLM-L6-v2 (embedAll), on the same lab rationales,
 * in chunks of one poll (64 records, the service's max.poll.records). Prints both figures and the ratio, and each
 * as a fraction of the FLOP-bound limit: the texts' FLOPs (on their real tokens) at the fp32 matmul rate that
 * OnnxRuntime reaches in the same run on the model's own weight matrices (MatMulRate).
 */
public final class EmbeddingBench {

    private static final int CHUNK = 64;
    private static final int ROUNDS = 3;
    private static final double MATMUL_SECONDS = 1.5;

    public static void main(String[] args) throws Exception {
        int perKind = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : ROUNDS;
        List<String> texts = new ArrayList<>();
        LabRationales.answers(LabRationales.queries(perKind, 11)).values()
                .forEach(answers -> answers.forEach(a -> texts.add(a.rationale())));
        double meanChars = texts.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("texts: %d lab rationales (3 personas x %d queries x 3 kinds), mean %.0f characters%n",
                texts.size(), perKind, meanChars);
        System.out.printf("cores: %d, load average before: %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());

        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "twt-models");
        OnnxModelShape model = OnnxModelShape.read(BundledMiniLm.extractTo(cache).resolve("model.onnx"));
        try (SentenceEncoder ours = SentenceEncoder.load(EncoderSettings.bundledMiniLm(cache, batchSize))) {
            System.out.printf("embedding-service batch size: %d windows%n", batchSize);

            // the FLOPs of the run, from the encoder's own plan: windows after tokenization, the service's passes
            List<PassShape> passes = new ArrayList<>();
            for (int i = 0; i < texts.size(); i += CHUNK) {
                passes.addAll(ours.plan(texts.subList(i, Math.min(texts.size(), i + CHUNK))));
            }
            long windows = passes.stream().mapToLong(PassShape::rows).sum();
            long tokens = passes.stream().mapToLong(PassShape::tokens).sum();
            long cells = passes.stream().mapToLong(PassShape::cells).sum();
            int longest = passes.stream().mapToInt(PassShape::paddedLength).max().orElse(0);
            double realFlops = passes.stream().flatMapToInt(p -> java.util.Arrays.stream(p.lengths()))
                    .mapToDouble(model::rowFlops).sum();
            double paddedFlops = passes.stream().mapToDouble(p -> p.rows() * model.rowFlops(p.paddedLength())).sum();
            System.out.printf("model: %d layers, hidden %d, %.2fM non-embedding parameters (%.2fM embedding), %d weight matrices%n",
                    model.layers(), model.hidden(), model.nonEmbeddingParameters() / 1e6, model.embeddingParameters() / 1e6,
                    model.weights().size());
            System.out.printf("lengths: %d windows, %d tokens with [CLS]/[SEP] (mean %.1f, longest %d); the service's %d passes"
                            + " compute %d cells (%.1f%% padding, mean %.0f cells per pass)%n",
                    windows, tokens, (double) tokens / windows, longest, passes.size(), cells,
                    100.0 * (cells - tokens) / cells, (double) cells / passes.size());
            System.out.printf("FLOPs per text: %.1f MFLOP on its real tokens (counted for the limit), %.1f MFLOP with the"
                            + " service's padding; attention is %.1f%% of them%n",
                    realFlops / texts.size() / 1e6, paddedFlops / texts.size() / 1e6,
                    100.0 * (1 - tokens * 2.0 * model.nonEmbeddingParameters() / realFlops));
            int rows = (int) Math.round((double) batchSize * tokens / windows);

            AllMiniLmL6V2EmbeddingModel theirs = new AllMiniLmL6V2EmbeddingModel();
            List<String> first = texts.subList(0, Math.min(CHUNK, texts.size()));
            List<float[]> ourVectors = ours.embed(first);
            var theirVectors = theirs.embedAll(first.stream().map(TextSegment::from).toList()).content();
            double minCosine = 1;
            for (int i = 0; i < first.size(); i++) {
                minCosine = Math.min(minCosine, Cosine.similarity(ourVectors.get(i), theirVectors.get(i).vector()));
            }
            System.out.printf("agreement on the first %d texts: min cosine %.6f%n", first.size(), minCosine);

            try (MatMulRate matmul = new MatMulRate(model, rows, 0)) {
                System.out.printf("ceiling: OnnxRuntime fp32 MatMul over the model's %d weight matrices chained, on %d rows"
                        + " (%d windows x %.1f mean tokens: one full pass), the service's session options and threads%n",
                        model.weights().size(), rows, batchSize, (double) tokens / windows);
                for (int other : new int[]{(int) Math.round((double) cells / passes.size()), (int) Math.round((double) tokens / windows)}) {
                    try (MatMulRate smaller = new MatMulRate(model, other, 0)) {
                        Totals rate = smaller.measure(MATMUL_SECONDS);
                        System.out.printf("  for comparison, on %d rows: %.1f GFLOP/s, %.1f per CPU-second%n", other,
                                rate.gflopsPerSecond(), rate.gflopsPerCpuSecond());
                    }
                }
                // rounds alternate so all see the same load: the matmul rate is measured just before each encoder
                // (its fraction that round is against that rate); totals over all rounds are reported
                Totals matmulTotal = new Totals();
                Totals oursTotal = new Totals();
                Totals theirsTotal = new Totals();
                for (int round = 1; round <= rounds; round++) {
                    Totals beforeOurs = matmul.measure(MATMUL_SECONDS);
                    Totals oursRound = Totals.measure(texts.size(), () -> {
                        for (int i = 0; i < texts.size(); i += CHUNK) {
                            ours.embed(texts.subList(i, Math.min(texts.size(), i + CHUNK)));
                        }
                        return realFlops;
                    });
                    Totals beforeTheirs = matmul.measure(MATMUL_SECONDS);
                    Totals theirsRound = Totals.measure(texts.size(), () -> {
                        for (int i = 0; i < texts.size(); i += CHUNK) {
                            theirs.embedAll(texts.subList(i, Math.min(texts.size(), i + CHUNK)).stream().map(TextSegment::from).toList());
                        }
                        return realFlops;
                    });
                    System.out.printf("round %d: matmul %.1f / %.1f GFLOP/s, %.1f / %.1f per CPU-second | embedding-service %s,"
                                    + " %s of the limit | langchain4j %s, %s%n", round,
                            beforeOurs.gflopsPerSecond(), beforeTheirs.gflopsPerSecond(),
                            beforeOurs.gflopsPerCpuSecond(), beforeTheirs.gflopsPerCpuSecond(),
                            oursRound, oursRound.ofLimit(beforeOurs), theirsRound, theirsRound.ofLimit(beforeTheirs));
                    matmulTotal.add(beforeOurs);
                    matmulTotal.add(beforeTheirs);
                    oursTotal.add(oursRound);
                    theirsTotal.add(theirsRound);
                }
                double flopsPerText = realFlops / texts.size();
                System.out.printf("all rounds: embedding-service %s | langchain4j in-process %s%n", oursTotal, theirsTotal);
                System.out.printf("ratio (embedding-service / langchain4j): %.2f in texts/s, %.2f in texts per CPU-second%n",
                        oursTotal.textsPerSecond() / theirsTotal.textsPerSecond(),
                        oursTotal.textsPerCpuSecond() / theirsTotal.textsPerCpuSecond());
                System.out.printf("FLOP-bound limit at the matmul rate of all rounds (%.1f GFLOP/s, %.1f per CPU-second):"
                                + " %.1f texts/s, %.1f texts per CPU-second%n",
                        matmulTotal.gflopsPerSecond(), matmulTotal.gflopsPerCpuSecond(),
                        matmulTotal.gflopsPerSecond() * 1e9 / flopsPerText, matmulTotal.gflopsPerCpuSecond() * 1e9 / flopsPerText);
                System.out.printf("fraction of the limit (texts/s / texts per CPU-second): embedding-service %s, langchain4j %s;"
                                + " counting the service's padding as work, %.2f / %.2f%n",
                        oursTotal.ofLimit(matmulTotal), theirsTotal.ofLimit(matmulTotal),
                        oursTotal.gflopsPerSecond() * paddedFlops / realFlops / matmulTotal.gflopsPerSecond(),
                        oursTotal.gflopsPerCpuSecond() * paddedFlops / realFlops / matmulTotal.gflopsPerCpuSecond());
            }
            System.out.printf("load average after: %s (other processes share these cores: compare the ratios, not the rates)%n",
                    loadAverage());
        }
    }

    private static String loadAverage() throws java.io.IOException {
        java.nio.file.Path loadavg = Path.of("/proc/loadavg");
        return java.nio.file.Files.exists(loadavg) ? java.nio.file.Files.readString(loadavg).trim() : "unknown";
    }

}
