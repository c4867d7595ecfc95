package io.twt.compression.domain;

import io.twt.common.ChatMessage;
import java.util.List;

/** One chat call to a named teacher; throws {@link TeacherCallException} when no reply came back. */
public interface TeacherChat {

    String chat(String teacher, List<ChatMessage> messages);

    class TeacherCallException extends RuntimeException {
        public TeacherCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
