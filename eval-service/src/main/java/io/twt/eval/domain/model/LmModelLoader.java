package io.twt.eval.domain.model;

import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.lm.Generation;
import io.twt.lm.StudentModel;
import io.twt.lm.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * {@link EvaluatedModel}s loaded in this JVM as the {@code lm} module's {@code StudentModel}: the paper's inference
 * preset (temperature 0, top-p 0.95) with a token limit per call, stopping also where a model starts a new prompt of
 * the student format.
 */
public final class LmModelLoader implements ModelLoader {

    /**
     * Runs {@code use} with the token counter of a model directory's tokenizer alone (no weights loaded, no special
     * tokens, as {@link EvaluatedModel#countTokens}); a directory without tokenizer.json counts every text as 0 tokens.
     */
    public static <T> T withTokenCounter(Path modelDir, Function<ToIntFunction<String>, T> use) {
        Path json = modelDir.resolve("tokenizer.json");
        if (!Files.exists(json)) {
            return use.apply(text -> 0);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(json)) {
            return use.apply(text -> tokenizer.encode(text, false).length);
        }
    }

    /**
     * A model version's weights are a PEFT adapter on the base, or, after full fine-tuning, a whole
     * checkpoint (config.json, no adapter_config.json) that replaces the base.
     */
    @Override
    public EvaluatedModel load(Path baseModel, Path adapterOrNull, String servedName) {
        boolean fullWeights = adapterOrNull != null && !Files.exists(adapterOrNull.resolve("adapter_config.json"))
                && Files.exists(adapterOrNull.resolve("config.json"));
        StudentModel model = fullWeights ? StudentModel.load(adapterOrNull, null) : StudentModel.load(baseModel, adapterOrNull);
        return new EvaluatedModel() {
            @Override
            public List<ModelOutput> generate(List<String> prompts, int maxNewTokens) {
                return model.generate(prompts, PRESET.withMaxNewTokens(maxNewTokens)).stream()
                        .map((Generation g) -> new ModelOutput(g.text(), g.outputTokens())).toList();
            }

            @Override
            public int countTokens(String text) {
                return model.countTokens(text);
            }

            @Override
            public int contextTokens() {
                return model.config().maxPositionEmbeddings();
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }
}
