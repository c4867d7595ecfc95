package io.twt.trainer.incoming;

import io.twt.trainer.TrainerSettings;
import io.twt.trainer.domain.DatasetExport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /export?stage=N[&round=N]&format=messages|prompt-completion|sharegpt|alpaca}: a stage's distilled dataset
 * as JSONL, streamed (what {@code ./twt export} writes). 400 for a bad parameter, 404 for a round or stage not trained.
 */
@Path("/export")
public class ExportResource {

    private final TrainerSettings settings;

    public ExportResource(TrainerSettings settings) {
        this.settings = settings;
    }

    @GET
    public Response export(@QueryParam("stage") Integer stage, @QueryParam("round") Integer round,
                           @QueryParam("format") String format) {
        if (stage == null || format == null) {
            return error(Response.Status.BAD_REQUEST, "stage and format are required");
        }
        DatasetExport.Format layout;
        try {
            layout = DatasetExport.Format.of(format);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        List<DatasetExport.Line> lines;
        try {
            lines = DatasetExport.lines(java.nio.file.Path.of(settings.modelStore()), stage, round);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.NOT_FOUND, e.getMessage());
        }
        StreamingOutput body = out -> DatasetExport.write(lines, layout, new OutputStreamWriter(out, StandardCharsets.UTF_8));
        return Response.ok(body, "application/x-ndjson").build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type("application/json").build();
    }
}
