package io.twt.eval.outgoing;

import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.eval.domain.student.Student;
import io.twt.eval.domain.student.StudentLoader;
import io.twt.lm.StudentEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Students served at an OpenAI-compatible endpoint ({@code twt.eval.student.endpoint}) instead of loaded here: a
 * version's adapter is registered under its served name, the base model is the endpoint's model without a parent.
 * Output tokens are the endpoint's {@code usage.completion_tokens}; the base model's tokenizer (read from its folder)
 * counts prompts, to keep every request inside the context.
 */
public final class EndpointStudentLoader implements StudentLoader {

    private final String endpoint;
    private final Duration requestTimeout;
    private final int parallelRequests;

    public EndpointStudentLoader(String endpoint, Duration requestTimeout, int parallelRequests) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.parallelRequests = parallelRequests;
    }

    @Override
    public Student load(Path baseModel, Path adapterOrNull, String servedName) {
        StudentEndpoint served = new StudentEndpoint(endpoint, requestTimeout, parallelRequests, baseModel);
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
        return new Student() {
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
