package io.twt.compression.outgoing;

import io.twt.common.ChatReply;
import io.twt.common.ChatRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** teacher-gateway's HTTP chat API; its URL is {@code quarkus.rest-client.gateway.url}. */
@RegisterRestClient(configKey = "gateway")
@Path("/teachers")
public interface GatewayClient {

    @POST
    @Path("/{name}/chat")
    ChatReply chat(@PathParam("name") String teacher, ChatRequest request);
}
