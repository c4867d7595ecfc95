package io.twt.gateway.domain;

import io.twt.common.ChatMessage;
import java.util.List;

/** One teacher's chat endpoint as the domain sees it: messages in, an answer (after retries) or a failure out. */
@FunctionalInterface
public interface Chat {

    Completion complete(List<ChatMessage> messages) throws TeacherCallFailed;
}
