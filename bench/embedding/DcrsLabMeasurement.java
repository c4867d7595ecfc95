import io.twt.common.Cosine;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.RationaleEmbedding;
import io.twt.common.SchemaVersion;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import io.twt.embedding.domain.EncoderSettings;
import io.twt.embedding.domain.SentenceEncoder;

import io.twt.sampler.domain.Decision;
import io.twt.sampler.domain.QueryState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * DCRS on lab data, with the sampler's own decision code (QueryState) and the embedding service's encoder:
 * label accuracy of the unfiltered teacher pool, of the quality-filtered pool and of the DCRS samples (the
 * paper's Table 5 in spirit), and the mean cosine similarity of the chosen pairs against random pairs of the
 * same queries' kept rationales.
 */
public final class DcrsLabMeasurement {

    private static final double THRESHOLD = 0.95;

    public static void main(String[] args) throws Exception {
        int perKind = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Map<String, List<LabRationales.Answer>> byQuery = LabRationales.answers(LabRationales.queries(perKind, 23));
        Counts pool = new Counts();
        Counts kept = new Counts();
        Counts dcrs = new Counts();
        Map<io.twt.common.Rejection.Reason, Integer> rejections = new EnumMap<>(io.twt.common.Rejection.Reason.class);
        int selected = 0;
        double chosenSimilarity = 0;
        double randomSimilarity = 0;
        double allPairsSimilarity = 0;
        int diverseQueries = 0;
        Random random = new Random(5);
        try (SentenceEncoder encoder = SentenceEncoder.load(EncoderSettings.bundledMiniLm(
                Path.of(System.getProperty("java.io.tmpdir"), "twt-models"), 32))) {
            for (List<LabRationales.Answer> answers : byQuery.values()) {
                String queryId = answers.get(0).query().id();
                List<float[]> vectors = encoder.embed(answers.stream().map(LabRationales.Answer::rationale).toList());
                QueryState state = QueryState.start(queryId, 0);
                List<float[]> keptVectors = new ArrayList<>();
                for (int i = 0; i < answers.size(); i++) {
                    LabRationales.Answer answer = answers.get(i);
                    TeacherOutput output = new TeacherOutput(SchemaVersion.CURRENT, queryId, answer.query(), answer.teacher(),
                            answers.size(), TeacherStatus.OK, answer.rationale(), answer.answer(), Map.of(),
                            answer.confidence(), Usage.NONE, 0, 1, null);
                    state = state.withOutput(output);
                    pool.add(answer.right());
                    if (output.kept(THRESHOLD)) {
                        kept.add(answer.right());
                        keptVectors.add(vectors.get(i));
                        state = state.withEmbedding(new RationaleEmbedding(SchemaVersion.CURRENT, queryId, answer.teacher(),
                                encoder.modelName(), vectors.get(i)));
                    }
                }
                Decision decision = state.decide(THRESHOLD, false).orElseThrow();
                if (decision instanceof Decision.Rejected rejected) {
                    rejections.merge(rejected.rejection().reason(), 1, Integer::sum);
                    continue;
                }
                selected++;
                DistillSampleSet set = ((Decision.Selected) decision).samples();
                for (DistillSample sample : set.samples()) {
                    dcrs.add(sample.answer().equals(set.query().gold()));
                }
                if (set.minSimilarity() != null) {
                    diverseQueries++;
                    chosenSimilarity += set.minSimilarity();
                    int a = random.nextInt(keptVectors.size());
                    int b = (a + 1 + random.nextInt(keptVectors.size() - 1)) % keptVectors.size();
                    randomSimilarity += Cosine.similarity(keptVectors.get(a), keptVectors.get(b));
                    allPairsSimilarity += meanPairSimilarity(keptVectors);
                }
            }
        }
        System.out.printf("lab: %d queries (%d per kind: math, mcq, code) x 3 lab teachers, threshold s = %.2f%n",
                byQuery.size(), perKind, THRESHOLD);
        System.out.printf("label accuracy: unfiltered pool %s | quality-filtered %s | DCRS samples %s%n", pool, kept, dcrs);
        System.out.printf("decisions: %d selected, rejected %s%n", selected, rejections);
        if (diverseQueries > 0) {
            System.out.printf("queries with >= 3 kept: %d; mean cosine of the chosen (least similar) pair %.4f, "
                            + "of a random kept pair %.4f, of all kept pairs %.4f%n", diverseQueries,
                    chosenSimilarity / diverseQueries, randomSimilarity / diverseQueries, allPairsSimilarity / diverseQueries);
        }
    }

    private static double meanPairSimilarity(List<float[]> vectors) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                sum += Cosine.similarity(vectors.get(i), vectors.get(j));
                pairs++;
            }
        }
        return sum / pairs;
    }

    private static final class Counts {
        int right;
        int total;

        void add(boolean isRight) {
            total++;
            if (isRight) {
                right++;
            }
        }

        @Override
        public String toString() {
            return String.format("%.1f%% (%d/%d)", total == 0 ? 0 : 100.0 * right / total, right, total);
        }
    }
}
