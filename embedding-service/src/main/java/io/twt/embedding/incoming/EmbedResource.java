package io.twt.embedding.incoming;

import io.twt.common.Check;
import io.twt.embedding.domain.SentenceEncoder;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;

/** {@code POST /embed}: sentence embeddings for a batch of texts, with the same model and batching as the stream. */
@Path("/embed")
public class EmbedResource {

    /** More texts than this belong in several requests: one request should not hold the model for long. */
    static final int MAX_TEXTS = 1024;

    public record EmbedRequest(List<String> texts) {
    }

    public record EmbedResponse(String model, int dimension, List<float[]> vectors) {
    }

    private final SentenceEncoder encoder;

    public EmbedResource(SentenceEncoder encoder) {
        this.encoder = encoder;
    }

    @POST
    public EmbedResponse embed(EmbedRequest request) {
        if (request == null || request.texts() == null || request.texts().isEmpty()) {
            throw new BadRequestException("expected {\"texts\": [\"...\", ...]} with at least one text");
        }
        if (request.texts().size() > MAX_TEXTS) {
            throw new BadRequestException(request.texts().size() + " texts, more than the limit of " + MAX_TEXTS);
        }
        for (int i = 0; i < request.texts().size(); i++) {
            String text = request.texts().get(i);
            if (text == null || text.length() > Check.MAX_TEXT_CHARS) {
                throw new BadRequestException("texts[" + i + "] is missing or longer than " + Check.MAX_TEXT_CHARS + " characters");
            }
        }
        List<float[]> vectors = encoder.embed(request.texts());
        return new EmbedResponse(encoder.modelName(), vectors.get(0).length, vectors);
    }
}
