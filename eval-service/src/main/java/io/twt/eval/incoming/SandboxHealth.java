package io.twt.eval.incoming;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.twt.eval.domain.sandbox.Sandbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * The code sandbox's isolation level in health ({@code /q/health}: always UP, since mcq and math are scored
 * either way; the level and what stays reachable in its data) and in metrics
 * ({@code twt_eval_sandbox_isolation{level}} = 1, {@code twt_eval_sandbox_samples_total}).
 */
@Liveness
@Startup
@ApplicationScoped
public class SandboxHealth implements HealthCheck {

    private final Sandbox sandbox;

    public SandboxHealth(Sandbox sandbox, MeterRegistry registry) {
        this.sandbox = sandbox;
        Gauge.builder("twt.eval.sandbox.isolation", () -> 1).description("the code sandbox's level (NONE: code refused)")
                .tag("level", sandbox.reportedLevel()).register(registry);
        FunctionCounter.builder("twt.eval.sandbox.samples", sandbox, Sandbox::samplesRun)
                .description("programs run in the sandbox since start").register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("code-sandbox").up()
                .withData("isolation", sandbox.reportedLevel())
                .withData("codeTasks", sandbox.refusesCode() ? "refused" : "run")
                .withData("summary", sandbox.summary())
                .build();
    }
}
