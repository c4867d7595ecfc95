package io.twt.eval.domain.model;

import io.twt.eval.domain.scoring.ModelOutput;
import java.util.List;

/**
 * The model eval-service scores: a model version (base plus adapter, or full weights), the vanilla base model, loaded
 * in this JVM or reached at an endpoint. eval's one student concept; it answers prompts and counts tokens with its own
 * tokenizer, and closing it frees its weights.
 */
public interface EvaluatedModel extends AutoCloseable {

    /** One output per prompt, in order, each with its output-token count and at most maxNewTokens tokens long. */
    List<ModelOutput> generate(List<String> prompts, int maxNewTokens);

    /** Tokens of a text with this student's tokenizer, no special tokens: how output length is measured. */
    int countTokens(String text);

    /** The model's context (max_position_embeddings): a prompt and its output together fit in it. */
    int contextTokens();

    @Override
    void close();
}
