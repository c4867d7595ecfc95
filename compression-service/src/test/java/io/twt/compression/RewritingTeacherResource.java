package io.twt.compression;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the service's gateway client at a {@link RewritingTeacherServer} for the test's lifetime. */
public class RewritingTeacherResource implements QuarkusTestResourceLifecycleManager {

    static RewritingTeacherServer server;

    @Override
    public Map<String, String> start() {
        server = new RewritingTeacherServer(0);
        return Map.of("quarkus.rest-client.gateway.url", server.url());
    }

    @Override
    public void stop() {
        server.close();
    }
}
