package io.twt.embedding.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The session options reach OnnxRuntime's session. DJL 0.36's engine dropped them without a word (its sessions ran
 * with one spinning pool thread per core whatever was configured); an intra-op pool of n threads is the caller plus
 * n - 1 native worker threads, which Linux lists under /proc/self/task with the process's name.
 */
@EnabledOnOs(OS.LINUX)
class OnnxTokenModelTest {

    @Test
    void theSessionRunsOnTheConfiguredNumberOfThreads() throws Exception {
        assertEquals(2, newNativeThreadsWhileLoading(3));
        assertEquals(0, newNativeThreadsWhileLoading(1));
    }

    private static int newNativeThreadsWhileLoading(int threads) throws IOException {
        Path cache = Files.createTempDirectory("embedding-cache");
        EncoderSettings bundled = EncoderSettings.bundledMiniLm(cache, 4);
        EncoderSettings settings = new EncoderSettings(bundled.modelName(), bundled.modelPath(), bundled.modelUrl(),
                bundled.engine(), bundled.maxTokens(), bundled.batchSize(), bundled.tokenTypeIds(), cache, threads);
        BundledMiniLm.extractTo(cache);
        Set<String> before = nativeThreads();
        try (OnnxTokenModel model = OnnxTokenModel.load(settings)) {
            Set<String> started = nativeThreads();
            started.removeAll(before);
            return started.size();
        }
    }

    /** Threads not started by the JVM: those keep the process's name ("java"); JVM threads are named by the JVM. */
    private static Set<String> nativeThreads() throws IOException {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals("java")) {
                        ids.add(task.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the thread ended while listing
                }
            }
        }
        return ids;
    }
}
