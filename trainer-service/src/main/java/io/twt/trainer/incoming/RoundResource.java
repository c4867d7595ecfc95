package io.twt.trainer.incoming;

import io.twt.trainer.RoundScheduler;
import io.twt.trainer.TrainerMetrics;
import io.twt.trainer.domain.RoundLedger;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code POST /rounds} asks for a round now (it starts once G has anything new); {@code GET /rounds} lists them;
 * {@code GET /rounds/progress} says in one line what the trainer is doing (the demo's live trainer line).
 */
@Path("/rounds")
public class RoundResource {

    private final RoundScheduler scheduler;
    private final TrainerMetrics metrics;

    public RoundResource(RoundScheduler scheduler, TrainerMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
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

    @GET
    @Path("/progress")
    @Produces(MediaType.TEXT_PLAIN)
    public String progress() {
        if (!scheduler.running()) {
            return "trainer: idle, %d queries in G".formatted(scheduler.setSize());
        }
        return metrics.lastStep().map(p -> "trainer: step %d/%d, loss %.3f, %.0f tokens/s, ETA %ds".formatted(
                        p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(), p.eta().toSeconds()))
                .orElse("trainer: round starting");
    }
}
