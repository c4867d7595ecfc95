package io.twt.trainer.incoming;

import io.twt.common.selection.QualityCriterion;
import io.twt.trainer.RoundScheduler;
import io.twt.trainer.domain.ExperimentStatus;
import io.twt.trainer.domain.Experiments;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /experiments} registers an experiment (a pool snapshot, now or a kept one, and its recipes) that the
 * round thread then runs recipe after recipe; {@code GET /experiments[/ID]} says where each stands. 400 for a
 * request that cannot run (unknown recipe, a missing option, no decided queries), 404 for an unknown experiment, 503
 * when embedding-service cannot embed the pool's rationales.
 */
@Path("/experiments")
public class ExperimentResource {

    private final RoundScheduler scheduler;

    public ExperimentResource(RoundScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * @param snapshot  "now" (also when absent) for a new pool, or the id of a kept one
     * @param teacher   twt-single-teacher's teacher
     * @param compressor twt-compressor's compressor
     * @param threshold s of the confidence and log-probability selections; DCRS's 0.95 when absent
     * @param rationaleWeight step-by-step's lambda; the paper's 1 when absent
     * @param evalLimit every row is scored on the first N eval queries per task kind; the whole split when absent
     */
    public record ExperimentRequest(List<String> recipes, String snapshot, String teacher, String compressor,
                                    Double threshold, Double rationaleWeight, Integer evalLimit) {
    }

    @POST
    public Response start(ExperimentRequest request) {
        if (request == null || request.recipes() == null || request.recipes().isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "recipes are required, e.g. {\"recipes\": [\"twt\", \"standard-kd\"]}");
        }
        try {
            ExperimentStatus started = scheduler.startExperiment(request.recipes(), request.snapshot(),
                    new Experiments.Options(request.teacher(), request.compressor(),
                            request.threshold() == null ? QualityCriterion.PAPER_THRESHOLD : request.threshold(),
                            request.rationaleWeight(), request.evalLimit()));
            return Response.accepted(started).build();
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (UncheckedIOException e) {
            // the pool asks embedding-service for the rationales DCRS did not embed
            return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    @GET
    public List<ExperimentStatus> all() {
        return scheduler.experiments();
    }

    @GET
    @Path("/{id}")
    public Response one(@PathParam("id") String id) {
        return scheduler.experiment(id).map(status -> Response.ok(status).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no experiment " + id));
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type("application/json").build();
    }
}
