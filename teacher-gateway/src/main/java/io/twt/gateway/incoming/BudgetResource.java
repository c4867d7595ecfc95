package io.twt.gateway.incoming;

import io.twt.gateway.domain.SpendLedger;
import io.twt.gateway.outgoing.TeacherClient;
import io.twt.gateway.outgoing.Teachers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Budgets at run time: {@code GET /teachers/budgets} lists cap, spent (by every replica) and state per teacher
 * and whether the gateway is paused; {@code GET /teachers/spend} the spend ledger per teacher and day; {@code POST /teachers/{name}/budget} with {@code {"budgetUsd": 20}} sets a new cap
 * ({@code null}: no cap), after which waiting queries go on. A cap set here lasts until the teachers file
 * changes or the process restarts.
 */
@Path("/teachers")
public class BudgetResource {

    /** The body of {@code POST /teachers/{name}/budget}. */
    public record NewCap(Double budgetUsd) {
    }

    private final Teachers teachers;
    private final BudgetGate gate;
    private final SpendLedger spend;
    private final ReplicaShare share;

    public BudgetResource(Teachers teachers, BudgetGate gate, SpendLedger spend, ReplicaShare share) {
        this.teachers = teachers;
        this.gate = gate;
        this.spend = spend;
        this.share = share;
    }

    /** Tokens, cost and calls per teacher and day over every replica: {@code {teacher: {day: {...}}}}. */
    @GET
    @Path("/spend")
    public Map<String, Map<String, Map<String, Object>>> spend() {
        Map<String, Map<String, Map<String, Object>>> table = new LinkedHashMap<>();
        spend.perTeacherPerDay().forEach((teacher, days) -> days.forEach((day, e) ->
                table.computeIfAbsent(teacher, t -> new LinkedHashMap<>()).put(day, Map.of("promptTokens", e.promptTokens(),
                        "completionTokens", e.completionTokens(), "costUsd", e.costUsd(), "calls", e.calls()))));
        return table;
    }

    @GET
    @Path("/budgets")
    public Map<String, Object> budgets() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("paused", gate.paused());
        answer.put("replicas", share.replicas());
        answer.put("teachers", teachers.all().stream().map(BudgetResource::budgetOf).toList());
        return answer;
    }

    @POST
    @Path("/{name}/budget")
    public Response capAt(@PathParam("name") String name, NewCap cap) {
        TeacherClient teacher = teachers.named(name).orElse(null);
        if (teacher == null) {
            return error(Response.Status.NOT_FOUND, "no teacher named '" + name + "'");
        }
        if (cap == null || (cap.budgetUsd() != null && !(cap.budgetUsd() >= 0))) {
            return error(Response.Status.BAD_REQUEST, "give {\"budgetUsd\": <number >= 0>} or {\"budgetUsd\": null} for no cap");
        }
        teacher.budget().capAt(cap.budgetUsd() == null ? OptionalDouble.empty() : OptionalDouble.of(cap.budgetUsd()));
        return Response.ok(budgetOf(teacher), MediaType.APPLICATION_JSON).build();
    }

    private static Map<String, Object> budgetOf(TeacherClient teacher) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("teacher", teacher.name());
        OptionalDouble cap = teacher.budget().capUsd();
        entry.put("capUsd", cap.isPresent() ? cap.getAsDouble() : null);
        entry.put("spentUsd", teacher.budget().spentUsd());
        entry.put("exhausted", teacher.budget().exhausted());
        teacher.requestsPerMinuteNow().ifPresent(rpm -> entry.put("requestsPerMinute", rpm));
        return entry;
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
