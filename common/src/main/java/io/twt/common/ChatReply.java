package io.twt.common;

/** teacher-gateway's answer to a {@link ChatRequest}: the teacher's text and what it cost. */
public record ChatReply(String teacher, String content, Usage usage, long latencyMs, int attempts) {
}
