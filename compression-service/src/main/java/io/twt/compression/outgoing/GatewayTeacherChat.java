package io.twt.compression.outgoing;

import io.twt.common.ChatMessage;
import io.twt.common.ChatReply;
import io.twt.common.ChatRequest;
import io.twt.compression.domain.TeacherChat;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;

/** Reaches teachers through teacher-gateway, so compression shares its keys, limits, retries and budget. */
public final class GatewayTeacherChat implements TeacherChat {

    private static final String PURPOSE = "compression";

    private final GatewayClient gateway;
    private final int maxTokens;
    private final double temperature;

    public GatewayTeacherChat(GatewayClient gateway, int maxTokens, double temperature) {
        this.gateway = gateway;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
    }

    @Override
    public String chat(String teacher, List<ChatMessage> messages) {
        try {
            ChatReply reply = gateway.chat(teacher, new ChatRequest(messages, maxTokens, temperature, PURPOSE));
            return reply == null || reply.content() == null ? "" : reply.content();
        } catch (WebApplicationException e) {
            throw new TeacherCallException("gateway answered HTTP " + e.getResponse().getStatus() + " for " + teacher, e);
        } catch (ProcessingException e) {
            throw new TeacherCallException("gateway unreachable for " + teacher + ": " + e.getMessage(), e);
        }
    }
}
