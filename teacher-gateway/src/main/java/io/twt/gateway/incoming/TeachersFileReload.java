package io.twt.gateway.incoming;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.twt.gateway.config.GatewaySettings;
import io.twt.gateway.domain.TeacherSpec;
import io.twt.gateway.domain.TeachersFile;
import io.twt.gateway.outgoing.TeacherClient;
import io.twt.gateway.outgoing.Teachers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Re-reads the teachers file when it changes ({@code twt.gateway.teachers-file-check}) and applies what can change
 * at run time: each teacher's {@code budget-usd}, so raising it in the file (a ConfigMap edit) resumes a paused
 * gateway. Other changes need a restart and are logged as such; a file that no longer parses changes nothing.
 */
@ApplicationScoped
public class TeachersFileReload {

    private static final Logger LOG = Logger.getLogger(TeachersFileReload.class);

    private final GatewaySettings config;
    private final Teachers teachers;
    private ScheduledExecutorService timer;
    private FileTime lastSeen;

    public TeachersFileReload(GatewaySettings config, Teachers teachers) {
        this.config = config;
        this.teachers = teachers;
    }

    void start(@Observes StartupEvent started) {
        config.teachersFile().ifPresent(file -> {
            lastSeen = modified(file);
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("teachers-file-reload").factory());
            long every = config.teachersFileCheck().toMillis();
            timer.scheduleWithFixedDelay(() -> reloadIfChanged(file), every, every, TimeUnit.MILLISECONDS);
        });
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void reloadIfChanged(Path file) {
        FileTime now = modified(file);
        if (now == null || now.equals(lastSeen)) {
            return;
        }
        lastSeen = now;
        try {
            for (TeacherSpec spec : TeachersFile.read(file)) {
                TeacherClient teacher = teachers.named(spec.name()).orElse(null);
                if (teacher == null) {
                    LOG.warnf("teachers file: new teacher %s is taken on at the next restart", spec.name());
                } else if (!teacher.budget().capUsd().equals(spec.budgetUsd())) {
                    LOG.infof("teachers file: budget of %s is now %s", spec.name(), spec.budgetUsd());
                    teacher.budget().capAt(spec.budgetUsd());
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.errorf("teachers file %s changed but cannot be read, nothing applied: %s", file, e.getMessage());
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
