package io.twt.eval.incoming;

import io.twt.eval.EvalSettings;
import io.twt.eval.domain.dashboard.Board;
import io.twt.eval.domain.dashboard.DashboardPage;
import io.twt.eval.domain.dashboard.DashboardView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/**
 * The dashboard ({@code GET /}), an experiment's page ({@code GET /experiments/ID}) and the dashboard's data as JSON
 * ({@code GET /report.json}) for {@code ./twt report}.
 */
@Path("/")
public class DashboardResource {

    private final Board board;
    private final EvalSettings settings;

    public DashboardResource(Board board, EvalSettings settings) {
        this.board = board;
        this.settings = settings;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String dashboard() {
        return DashboardPage.render(board.view(Instant.now()), settings.dashboardRefreshSeconds());
    }

    @GET
    @Path("experiments/{id}")
    @Produces(MediaType.TEXT_HTML)
    public String experiment(@PathParam("id") String id) {
        return DashboardPage.renderExperiment(id, board.experimentTable(id), settings.dashboardRefreshSeconds());
    }

    @GET
    @Path("report.json")
    @Produces(MediaType.APPLICATION_JSON)
    public DashboardView report() {
        return board.view(Instant.now());
    }
}
