package io.twt.trainer.incoming;

import io.quarkus.runtime.Startup;
import io.twt.lm.engine.StudentKernelsCheck;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Liveness;

/** The student's kernels on {@code /q/health}; made at start so the kernel choice reaches libtorch first. */
@Liveness
@Startup
@ApplicationScoped
public class KernelsHealth extends StudentKernelsCheck {
}
