package io.twt.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.twt.lab.teacher.FaultSettings;
import io.twt.lab.teacher.LabTeacherServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Quarkus test resource: the lab teacher server in this JVM on a free port, its URL given to the gateway as
 * {@code twt.gateway.lab-url}. Calls still go over real HTTP; tests change its faults through {@link #server()}.
 */
public class LabTeachersResource implements QuarkusTestResourceLifecycleManager {

    private static LabTeacherServer server;

    public static synchronized LabTeacherServer server() {
        if (server == null) {
            try {
                server = LabTeacherServer.start("127.0.0.1", 0, FaultSettings.none());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LabTeacherServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "lab-test-shutdown"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("twt.gateway.lab-url", server().baseUrl());
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; the shutdown hook stops it
    }
}
