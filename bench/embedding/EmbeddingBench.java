import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
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
        List<String> texts = new ArrayList<>();
        LabRationales.answers(LabRationales.queries(perKind, 11)).values()
                .forEach(answers -> answers.forEach(a -> texts.add(a.rationale())));
        double meanChars = texts.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("texts: %d lab rationales (3 personas x %d queries x 3 kinds), mean %.0f characters%n",
                texts.size(), perKind, meanChars);
        System.out.printf("cores: %d%n", Runtime.getRuntime().availableProcessors());

        try (SentenceEncoder ours = SentenceEncoder.load(EncoderSettings.bundledMiniLm(
                Path.of(System.getProperty("java.io.tmpdir"), "twt-models"), 32))) {
            AllMiniLmL6V2EmbeddingModel theirs = new AllMiniLmL6V2EmbeddingModel();
            List<float[]> ourVectors = ours.embed(texts.subList(0, CHUNK));
            List<TextSegment> warmup = texts.subList(0, CHUNK).stream().map(TextSegment::from).toList();
            var theirVectors = theirs.embedAll(warmup).content();
            double minCosine = 1;
            for (int i = 0; i < CHUNK; i++) {
                minCosine = Math.min(minCosine, cosine(ourVectors.get(i), theirVectors.get(i).vector()));
            }
            System.out.printf("agreement on the first %d texts: min cosine %.6f%n", CHUNK, minCosine);

            double oursRate = 0;
            double theirsRate = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < texts.size(); i += CHUNK) {
                    ours.embed(texts.subList(i, Math.min(texts.size(), i + CHUNK)));
                }
                double oursSeconds = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                for (int i = 0; i < texts.size(); i += CHUNK) {
                    theirs.embedAll(texts.subList(i, Math.min(texts.size(), i + CHUNK)).stream().map(TextSegment::from).toList());
                }
                double theirsSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: embedding-service %.1f texts/s, langchain4j %.1f texts/s%n", round,
                        texts.size() / oursSeconds, texts.size() / theirsSeconds);
                oursRate = Math.max(oursRate, texts.size() / oursSeconds);
                theirsRate = Math.max(theirsRate, texts.size() / theirsSeconds);
            }
            System.out.printf("best of %d: embedding-service %.1f texts/s, langchain4j in-process %.1f texts/s, ratio %.2f%n",
                    ROUNDS, oursRate, theirsRate, oursRate / theirsRate);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
