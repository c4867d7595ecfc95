package io.twt.lm.engine;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Which kernels the student runs on, as the health check {@code student-kernels} (mkl-intel-path, mkl-default, cuda
 * once a student has loaded onto a GPU). Each service that runs the student makes it a liveness bean by extending it.
 */
public class StudentKernelsCheck implements HealthCheck {

    public StudentKernelsCheck() {
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
