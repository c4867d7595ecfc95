package io.twt.lm.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.Generation;

/**
 * The response bodies of one completion, in OpenAI's shapes: {@code text_completion} / {@code chat.completion}, and
 * for streams their chunks ({@code chat.completion.chunk}). Usage counts the student's tokens: the prompt with the
 * tokenizer's special tokens, the completion without its eos token.
 */
record OpenAiResponses(ObjectMapper json, String id, long created, String model, boolean chat) {

    ObjectNode whole(Generation generation, int promptTokens) {
        ObjectNode body = head(chat ? "chat.completion" : "text_completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", generation.text());
        } else {
            choice.put("text", generation.text());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(generation.finishReason()));
        body.set("usage", usage(generation, promptTokens));
        return body;
    }

    /** A piece of streamed text; finishReason null until the last chunk. */
    ObjectNode chunk(String text, boolean first, Generation.FinishReason finishReason) {
        ObjectNode body = head(chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            if (!text.isEmpty() || finishReason == null) {
                delta.put("content", text);
            }
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason == null ? null : finishReason(finishReason));
        return body;
    }

    /** The last chunk of a stream with {@code stream_options.include_usage}: no choices, the usage. */
    ObjectNode usageChunk(Generation generation, int promptTokens) {
        ObjectNode body = head(chat ? "chat.completion.chunk" : "text_completion");
        body.putArray("choices");
        body.set("usage", usage(generation, promptTokens));
        return body;
    }

    private ObjectNode head(String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private ObjectNode usage(Generation generation, int promptTokens) {
        return json.createObjectNode().put("prompt_tokens", promptTokens).put("completion_tokens", generation.outputTokens())
                .put("total_tokens", promptTokens + generation.outputTokens());
    }

    /** eos and stop strings are both "stop" in OpenAI's terms; the token budget or the context is "length". */
    private static String finishReason(Generation.FinishReason reason) {
        return reason == Generation.FinishReason.LENGTH ? "length" : "stop";
    }
}
