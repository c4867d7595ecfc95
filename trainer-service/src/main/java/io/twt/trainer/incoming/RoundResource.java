package io.twt.trainer.incoming;

import io.twt.trainer.RoundScheduler;
import io.twt.trainer.domain.RoundLedger;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code POST /rounds} asks for a round now (it starts once G has anything new); {@code GET /rounds} lists them. */
@Path("/rounds")
public class RoundResource {

    private final RoundScheduler scheduler;

    public RoundResource(RoundScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public record RoundRequestAnswer(boolean requested, int distillationSetQueries, int lastSnapshotQueries, boolean roundRunning) {
    }

    @POST
    public Response request() {
        scheduler.request();
        return Response.accepted(new RoundRequestAnswer(true, scheduler.setSize(), scheduler.lastSnapshot(), scheduler.running()))
                .build();
    }

    @GET
    public List<RoundLedger.RoundEntry> rounds() {
        return scheduler.rounds();
    }
}
