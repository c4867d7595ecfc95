package io.twt.gateway.domain;

import io.twt.common.Usage;

/** A teacher's answer to one chat, with what it cost: tokens, wall time and HTTP attempts (retries included). */
public record Completion(String content, Usage usage, long latencyMs, int attempts) {
}
