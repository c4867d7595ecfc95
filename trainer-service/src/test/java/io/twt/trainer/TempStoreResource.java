package io.twt.trainer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh model store per test run, and no round starting by itself. */
public class TempStoreResource implements QuarkusTestResourceLifecycleManager {

    static Path store;

    @Override
    public Map<String, String> start() {
        try {
            store = Files.createTempDirectory("twt-trainer-store-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("twt.trainer.model-store", store.toString(), "twt.trainer.round.min-new-queries", "1000000");
    }

    @Override
    public void stop() {
    }
}
