package io.twt.gateway.outgoing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * An OpenAI-compatible chat endpoint as a Quarkus REST Client, built per teacher with its base URL and
 * timeouts. OpenAI, Mistral, vLLM, Ollama and LiteLLM take {@code Authorization: Bearer}; Azure OpenAI
 * takes {@code api-key} and {@code api-version}. Null header and query values are not sent. The body is built by
 * {@link io.twt.gateway.domain.CompletionBody}, since its fields differ by model family and teacher settings.
 */
public interface OpenAiChatApi {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    CompletionResponse complete(@HeaderParam("Authorization") String authorization,
                                @HeaderParam("api-key") String apiKey,
                                @QueryParam("api-version") String apiVersion,
                                ObjectNode body);
}
