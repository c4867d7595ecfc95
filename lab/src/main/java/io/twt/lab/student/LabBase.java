package io.twt.lab.student;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lab.skills.SkillCorpus;
import io.twt.lab.skills.SkillCorpus.SkillExample;
import io.twt.lm.ModelFactory;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.TrainingListener;
import io.twt.lm.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The lab's base student: a Llama made from nothing by the {@code lm} module and pretrained once on the
 * {@link SkillCorpus}, so that distillation starts from a model that can add and compare, as real students can.
 * It is cached under a content hash of the corpus and the spec ({@code <cache>/lab-base-<hash>}): the first call
 * pretrains (resuming from its checkpoints if it was interrupted), later calls return the cached directory.
 */
public final class LabBase {

    /** Written last into a finished base model: what made it and how its pretraining went. */
    public static final String MANIFEST = "lab-base.json";
    // how many texts the tokenizer is learnt from; more only slows the BPE trainer down
    private static final int TOKENIZER_TEXTS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabBase() {
    }

    /** The cache directory the spec's model has (or will have) under {@code cacheRoot}. */
    public static Path dirFor(Path cacheRoot, LabBaseSpec spec) {
        return cacheRoot.resolve("lab-base-" + hash(spec, SkillCorpus.generate(spec.examples(), spec.seed())));
    }

    /** The pretrained base model for spec, made now if the cache lacks it. */
    public static Path ensure(Path cacheRoot, LabBaseSpec spec, TrainingListener progress) {
        List<SkillExample> corpus = SkillCorpus.generate(spec.examples(), spec.seed());
        Path dir = cacheRoot.resolve("lab-base-" + hash(spec, corpus));
        if (Files.exists(dir.resolve(MANIFEST))) {
            return dir;
        }
        Path work = dir.resolveSibling(dir.getFileName() + ".partial");
        Path model = work.resolve("model");
        try {
            Files.createDirectories(work);
            if (!Files.exists(model.resolve("config.json"))) {
                // the tokenizer reads prompts and both completion forms, so working and answers both encode short
                List<String> texts = new ArrayList<>();
                Random pick = new Random(spec.seed());
                for (int i = 0; i < Math.min(TOKENIZER_TEXTS, corpus.size()); i++) {
                    SkillExample e = corpus.get(pick.nextInt(corpus.size()));
                    texts.add(e.prompt() + e.completion(true));
                }
                deleteRecursively(model.resolveSibling("model.random"));
                ModelFactory.createRandom(model.resolveSibling("model.random"), spec.shape(), texts, spec.seed());
                Files.move(model.resolveSibling("model.random"), model, StandardCopyOption.ATOMIC_MOVE);
            }
            TrainingResult result;
            try (StudentModel student = StudentModel.load(model, null)) {
                TrainingConfig config = TrainingConfig.builder().fullFineTuning().learningRate(spec.learningRate())
                        .batchSize(spec.batchSize()).epochs(spec.epochs()).maxLength(spec.maxLength())
                        .warmupRatio(0.02).weightDecay(0.01).seed(spec.seed())
                        .checkpointDir(work.resolve("checkpoints")).checkpointEvery(200).resume(true).build();
                result = new SftTrainer(student, config).train(examples(corpus, spec.seed()), progress);
                Path trained = work.resolve("trained");
                deleteRecursively(trained);
                student.saveMerged(trained);
                writeManifest(trained, spec, corpus, result);
                deleteRecursively(dir);
                Files.move(trained, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            deleteRecursively(work);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the lab base model in " + dir, e);
        }
    }

    /** Half of the examples with their working, half answer only: the student learns to answer both ways. */
    static List<SftExample> examples(List<SkillExample> corpus, long seed) {
        Random coin = new Random(seed + 1);
        return corpus.stream().map(e -> new SftExample(e.prompt(), e.completion(coin.nextBoolean()))).toList();
    }

    private static String hash(LabBaseSpec spec, List<SkillExample> corpus) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(spec.describe().getBytes(StandardCharsets.UTF_8));
            for (SkillExample e : corpus) {
                sha.update((e.prompt() + '\u0000' + e.working() + '\u0000' + e.answer() + '\u0001').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeManifest(Path dir, LabBaseSpec spec, List<SkillExample> corpus, TrainingResult result)
            throws IOException {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("spec", spec.describe());
        manifest.put("hash", hash(spec, corpus));
        manifest.put("examples", corpus.size());
        manifest.put("trainTokens", result.trainTokens());
        manifest.put("meanLoss", result.meanLoss());
        manifest.put("finalLoss", result.finalLoss());
        manifest.put("seconds", result.seconds());
        Files.writeString(dir.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
