package io.twt.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The processes {@code ./twt up} starts and {@code ./twt down} stops: each in its own session (so that a Ctrl-C of
 * {@code ./twt} does not reach it) with its output appended to {@code logs/NAME.log} and its pid in
 * {@code pids/NAME.pid}; they outlive this program.
 */
record DetachedProcesses(Workspace workspace, Checkout checkout) {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    void start(String name, List<String> command, Map<String, String> env) throws IOException {
        OptionalLong running = workspace.pid(name);
        if (running.isPresent()) {
            Console.log(name + " already running (pid " + running.getAsLong() + ")");
            return;
        }
        Files.createDirectories(workspace.logFile(name).getParent());
        Files.createDirectories(workspace.pidFile(name).getParent());
        List<String> detached = new ArrayList<>(List.of("setsid"));
        detached.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(detached).directory(checkout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workspace.logFile(name).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        // setsid execs in place (the child is no group leader), so this pid is the process's own
        Files.writeString(workspace.pidFile(name), builder.start().pid() + "\n");
    }

    boolean running(String name) {
        return workspace.pid(name).isPresent();
    }

    /** Waits, bounded, until {@code ready}; fails with where to look when the process exits or the time is up. */
    void await(String name, Duration wait, BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!ready.getAsBoolean()) {
            if (!running(name)) {
                throw new IllegalStateException(name + " exited; see ./twt logs " + name);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + wait.toSeconds() + "s; see ./twt logs " + name);
            }
            Thread.sleep(1000);
        }
    }

    /** SIGTERM, then SIGKILL after 20 s; removes the pid file either way. */
    void stop(String name, PrintStream out) throws IOException {
        OptionalLong pid = workspace.pid(name);
        if (pid.isPresent()) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(process -> stop(name, process));
            out.println("stopped " + name + " (pid " + pid.getAsLong() + ")");
        }
        Files.deleteIfExists(workspace.pidFile(name));
    }

    private static void stop(String name, ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Console.log(name + " did not stop in " + STOP_GRACE.toSeconds() + "s; killing");
            process.destroyForcibly();
        } catch (InterruptedException | ExecutionException e) {
            process.destroyForcibly();
        }
    }
}
