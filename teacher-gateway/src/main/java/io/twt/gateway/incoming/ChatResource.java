package io.twt.gateway.incoming;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.twt.common.ChatMessage;
import io.twt.common.ChatReply;
import io.twt.common.ChatRequest;
import io.twt.gateway.domain.Completion;
import io.twt.gateway.domain.TeacherCallFailed;
import io.twt.gateway.outgoing.TeacherClient;
import io.twt.gateway.outgoing.Teachers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chat API other services reach teachers through ({@code POST /teachers/{name}/chat}), with the same
 * concurrency, rates, retries, breaker, budget and accounting as the Kafka path; {@code GET /teachers}
 * lists the names. A teacher that cannot answer gives 502 (503 with its breaker open, 402 with its budget
 * spent) and a JSON body {@code {"error": "..."}}.
 */
@Path("/teachers")
public class ChatResource {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private final Teachers teachers;

    public ChatResource(Teachers teachers) {
        this.teachers = teachers;
    }

    @GET
    public List<String> names() {
        return teachers.all().stream().map(TeacherClient::name).toList();
    }

    @POST
    @Path("/{name}/chat")
    @RunOnVirtualThread
    public Response chat(@PathParam("name") String name, ChatRequest request) {
        TeacherClient teacher = teachers.named(name).orElse(null);
        if (teacher == null) {
            return error(Response.Status.NOT_FOUND, "no teacher named '" + name + "'; known: " + names());
        }
        String invalid = invalid(request);
        if (invalid != null) {
            return error(Response.Status.BAD_REQUEST, invalid);
        }
        String purpose = request.purpose() == null || request.purpose().isBlank() ? "chat" : request.purpose();
        try {
            Completion completion = teacher.complete(request.messages(), null, request.maxTokens(), request.temperature(),
                    purpose);
            return Response.ok(new ChatReply(name, completion.content(), completion.usage(), completion.latencyMs(),
                    completion.attempts()), MediaType.APPLICATION_JSON).build();
        } catch (TeacherCallFailed e) {
            int status = switch (e.reason()) {
                case BUDGET_SPENT -> 402;
                case CIRCUIT_OPEN -> 503;
                case GAVE_UP, REJECTED -> 502;
            };
            return error(Response.Status.fromStatusCode(status), e.getMessage());
        }
    }

    private static String invalid(ChatRequest request) {
        if (request == null || request.messages() == null || request.messages().isEmpty()) {
            return "a chat needs at least one message";
        }
        for (ChatMessage message : request.messages()) {
            if (message == null || !ROLES.contains(message.role()) || message.content() == null) {
                return "every message needs a role (system, user or assistant) and a content";
            }
        }
        if (request.maxTokens() != null && request.maxTokens() < 1) {
            return "maxTokens must be at least 1";
        }
        return null;
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
