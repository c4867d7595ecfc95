package io.twt.eval.outgoing;

import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.eval.domain.model.EvaluatedModel;
import io.twt.eval.domain.model.ModelLoader;
import io.twt.lm.LoraEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@link io.twt.eval.domain.model.EvaluatedModel}s served at an OpenAI-compatible endpoint
 * ({@code twt.eval.student.endpoint}) instead of loaded here: a version's adapter is registered under its served
 * name, the base model is the endpoint's model without a parent.
 * Output tokens are the endpoint's {@code usage.completion_tokens}; the base model's tokenizer (read from its folder)
 * counts prompts, to keep every request inside the context.
 */
public final class EndpointModelLoader implements ModelLoader {

    private final String endpoint;
    private final Duration requestTimeout;
    private final int parallelRequests;

    public EndpointModelLoader(String endpoint, Duration requestTimeout, int parallelRequests) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.parallelRequests = parallelRequests;
    }

    @Override
    public EvaluatedModel load(Path baseModel, Path adapterOrNull, String servedName) {
        LoraEndpoint served = new LoraEndpoint(endpoint, requestTimeout, parallelRequests, baseModel);
        String model;
        try {
            if (adapterOrNull == null) {
                model = served.baseModel();
            } else {
                served.loadAdapter(servedName, adapterOrNull);
                model = servedName;
            }
        } catch (RuntimeException e) {
            served.close();
            throw e;
        }
        return new EvaluatedModel() {
            @Override
            public List<ModelOutput> generate(List<String> prompts, int maxNewTokens) {
                return served.complete(model, prompts, PRESET.withMaxNewTokens(maxNewTokens)).stream()
                        .map(g -> new ModelOutput(g.text(), g.outputTokens())).toList();
            }

            @Override
            public int countTokens(String text) {
                return served.countTokens(text);
            }

            @Override
            public int contextTokens() {
                return served.contextTokens();
            }

            @Override
            public void close() {
                served.close();
            }
        };
    }
}
