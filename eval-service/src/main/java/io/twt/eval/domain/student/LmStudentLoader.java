package io.twt.eval.domain.student;

import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.lm.Generation;
import io.twt.lm.GenerationConfig;
import io.twt.lm.StudentModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Students from the {@code lm} module: the paper's inference preset (temperature 0, top-p 0.95) with a
 * configurable token limit, stopping also where a model starts a new prompt of the student format.
 */
public final class LmStudentLoader implements StudentLoader {

    // the student format's prompt openings (StudentPrompt): a model that writes one has finished its answer
    private static final List<String> STOPS = List.of("\nTask: ", "\nQuestion: ", "\nProblem: ");

    private final GenerationConfig config;

    public LmStudentLoader(int maxNewTokens) {
        this.config = GenerationConfig.paperPreset().withMaxNewTokens(maxNewTokens).withStop(STOPS);
    }

    public GenerationConfig config() {
        return config;
    }

    /**
     * A model version's weights are a PEFT adapter on the base, or, after full fine-tuning, a whole
     * checkpoint (config.json, no adapter_config.json) that replaces the base.
     */
    @Override
    public Student load(Path baseModel, Path adapterOrNull) {
        boolean fullWeights = adapterOrNull != null && !Files.exists(adapterOrNull.resolve("adapter_config.json"))
                && Files.exists(adapterOrNull.resolve("config.json"));
        StudentModel model = fullWeights ? StudentModel.load(adapterOrNull, null) : StudentModel.load(baseModel, adapterOrNull);
        return new Student() {
            @Override
            public List<ModelOutput> generate(List<String> prompts) {
                return model.generate(prompts, config).stream()
                        .map((Generation g) -> new ModelOutput(g.text(), g.outputTokens())).toList();
            }

            @Override
            public int countTokens(String text) {
                return model.countTokens(text);
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }
}
