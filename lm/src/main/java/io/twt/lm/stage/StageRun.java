package io.twt.lm.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.TrainingListener;
import io.twt.lm.TrainingResult;
import io.twt.lm.io.DirectoryTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One stage trained by lm from its {@link StageSpec}: the base model (or, fully fine-tuned, the previous stage's
 * weights) with the previous stage's adapter, trained on the examples, saved to the output directory as a PEFT adapter
 * (or a full checkpoint), {@code result.json} last. The in-process trainer and {@code lm train --job} both run this.
 */
public final class StageRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StageRun() {
    }

    /** Trains on the spec's dataset file (messages or prompt-completion lines). */
    public static StageResult run(StageSpec spec, TrainingListener progress) {
        return run(spec, readDataset(Path.of(spec.dataset().path())), progress);
    }

    public static StageResult run(StageSpec spec, List<SftExample> examples, TrainingListener progress) {
        TrainingConfig config = spec.trainingConfig();
        Path base = Path.of(spec.baseModel().path());
        Path modelDir = spec.fullFineTuning() && spec.previousModel() != null ? Path.of(spec.previousModel()) : base;
        Path adapter = spec.fullFineTuning() || spec.previousAdapter() == null ? null : Path.of(spec.previousAdapter());
        Path out = Path.of(spec.outputDir());
        try (StudentModel model = StudentModel.load(modelDir, adapter)) {
            TrainingResult trained = new SftTrainer(model, config).train(examples, progress);
            int longestCompletion = examples.stream().mapToInt(e -> model.countTokens(e.completion())).max().orElse(0);
            // what an earlier, interrupted run left here is not part of this result
            DirectoryTree.delete(out);
            if (spec.fullFineTuning()) {
                model.saveMerged(out);
            } else {
                model.saveAdapter(out, spec.baseModel().id());
            }
            StageResult result = new StageResult(trained.trainTokens(), trained.meanLoss(), trained.seconds(), longestCompletion,
                    trained.resumedFrom());
            result.write(out);
            return result;
        }
    }

    static List<SftExample> readDataset(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<SftExample> examples = new ArrayList<>();
            for (String line : lines.filter(l -> !l.isBlank()).toList()) {
                examples.add(SftExample.fromJson(JSON.readTree(line)));
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stage dataset " + file, e);
        }
    }
}
