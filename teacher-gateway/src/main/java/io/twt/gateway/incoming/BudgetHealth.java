package io.twt.gateway.incoming;

import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness says whether {@link BudgetGate} has paused the gateway and which budgets are spent. It stays UP: the
 * gateway is well, its chat API still serves the other teachers, and a DOWN would only restart or unroute it.
 */
@Readiness
public class BudgetHealth implements HealthCheck {

    private final BudgetGate gate;

    public BudgetHealth(BudgetGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("teacher budgets").up().withData("paused", gate.paused());
        List<String> spent = gate.spent();
        for (int i = 0; i < spent.size(); i++) {
            health.withData("spent." + i, spent.get(i));
        }
        return health.build();
    }
}
