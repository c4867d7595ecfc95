package io.twt.gateway.domain;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One teacher endpoint as the teachers file describes it (DESIGN.md schema). The key itself is never held
 * here: only where to read it from ({@code apiKeyEnv} or {@code apiKeyFile}), so a spec can be logged.
 *
 * @param baseUrl        the OpenAI-compatible root; {@code /chat/completions} is appended
 * @param responseFormat how to ask for JSON: a JSON schema, a JSON object, or only by the prompt
 * @param request        per-teacher request settings: sampling, token limit field, extra body and headers
 * @param batching       null for a teacher asked online; its batch settings in {@code mode: batch}
 */
public record TeacherSpec(String name, String baseUrl, String model, String apiKeyEnv, String apiKeyFile,
                          ApiKind kind, String apiVersion, int maxConcurrency, OptionalInt requestsPerMinute,
                          OptionalInt tokensPerMinute, Duration timeout, double pricePer1kPrompt,
                          double pricePer1kCompletion, OptionalDouble budgetUsd, ResponseFormat responseFormat,
                          RequestSettings request, Batching batching) {

    /** How the endpoint takes its key: OpenAI and most compatibles use a Bearer token, Azure an api-key header. */
    public enum ApiKind { OPENAI, AZURE }

    public enum ResponseFormat { JSON_SCHEMA, JSON_OBJECT, NONE }

    public double costUsd(long promptTokens, long completionTokens) {
        return promptTokens / 1000.0 * pricePer1kPrompt + completionTokens / 1000.0 * pricePer1kCompletion;
    }
}
