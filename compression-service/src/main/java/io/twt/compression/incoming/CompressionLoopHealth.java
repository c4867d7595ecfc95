package io.twt.compression.incoming;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** DOWN once the compression loop has stopped on an error it cannot recover from (a fenced producer, say). */
@Liveness
@ApplicationScoped
public class CompressionLoopHealth implements HealthCheck {

    private final DraftCompressionLoop loop;

    public CompressionLoopHealth(DraftCompressionLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        Throwable failure = loop.failure();
        return failure == null
                ? HealthCheckResponse.up("draft-compression")
                : HealthCheckResponse.named("draft-compression").down().withData("error", String.valueOf(failure)).build();
    }
}
