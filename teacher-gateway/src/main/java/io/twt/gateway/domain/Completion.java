package io.twt.gateway.domain;

import io.twt.common.Usage;

/**
 * A teacher's answer to one chat, with what it cost: tokens, wall time and HTTP attempts (retries included).
 *
 * @param reasoning   reasoning text the provider returned apart from the content; null when none
 * @param meanLogprob mean log-probability of the content's tokens, when the teacher was asked for {@code logprobs}
 *                    (its {@code extra-body}) and returned them; null otherwise
 */
public record Completion(String content, Usage usage, long latencyMs, int attempts, String reasoning, Double meanLogprob) {

    public Completion(String content, Usage usage, long latencyMs, int attempts) {
        this(content, usage, latencyMs, attempts, null, null);
    }
}
