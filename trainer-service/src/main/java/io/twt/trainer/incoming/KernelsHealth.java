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
 * cuda once a student has loaded onto a GPU.
 */
@Liveness
@Startup
@ApplicationScoped
public class KernelsHealth implements HealthCheck {

    public KernelsHealth() {
        // at start, before any model loads, so the fix and the wait policy reach libtorch; loads no libtorch itself
        NativeKernels.prepare();
    }

    @Override
    public HealthCheckResponse call() {
        KernelChoice kernels = NativeKernels.current();
        return HealthCheckResponse.named("student-kernels").up()
                .withData("kernels", kernels.path().label())
                .withData("reason", kernels.reason())
                .build();
    }
}
