package io.twt.trainer.incoming;

import io.quarkus.runtime.Startup;
import io.twt.lm.engine.KernelChoice;
import io.twt.lm.engine.NativeKernels;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Which kernels the student runs on ({@code /q/health}, check {@code student-kernels}: mkl-intel-path, mkl-default),
 * decided at start, before any model loads, so the dispatch fix and OpenMP's wait policy reach libtorch.
 */
@Liveness
@Startup
@ApplicationScoped
public class KernelsHealth implements HealthCheck {

    private final KernelChoice kernels = NativeKernels.onDefaultDevice();

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("student-kernels").up()
                .withData("kernels", kernels.path().label())
                .withData("reason", kernels.reason())
                .build();
    }
}
