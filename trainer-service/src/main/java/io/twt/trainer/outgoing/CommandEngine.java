package io.twt.trainer.outgoing;

import io.twt.lm.stage.StageSpec;
import io.twt.trainer.student.StageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code command} backend: a configured command line with the stage directory appended, run as a process of its
 * own, its output in the stage's {@code job.log}. The process outlives a trainer that is killed; the restarted trainer
 * finds it again by the pid and start time the ledger holds (or, if it died before recording them, by the stage
 * directory on a command line) and waits for it.
 */
public final class CommandEngine implements StageEngine {

    static final String LOG = "job.log";
    private static final int LOG_TAIL_LINES = 20;

    private final List<String> command;
    private final Path directory;
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    /**
     * @param command   the program and its first arguments; the stage directory is appended
     * @param directory the working directory it runs in
     */
    public CommandEngine(List<String> command, Path directory) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the stage command is empty");
        }
        this.command = List.copyOf(command);
        this.directory = directory;
    }

    @Override
    public String backend() {
        return "command";
    }

    @Override
    public String submit(String name, StageSpec spec, Path stageDir) {
        List<String> line = new ArrayList<>(command);
        line.add(stageDir.toString());
        ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stageDir.resolve(LOG).toFile()));
        builder.environment().put("TWT_STAGE_JOB_NAME", name);
        try {
            Process process = builder.start();
            children.put(name, process);
            return handle(process.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + line + " in " + directory, e);
        }
    }

    @Override
    public Outcome await(String name, String handle, Path stageDir) {
        Process child = children.remove(name);
        if (child != null) {
            int exit = waitFor(child);
            return exit == 0 ? Outcome.succeeded() : Outcome.failed("exit code " + exit + "; " + logTail(stageDir));
        }
        Optional<ProcessHandle> running = handle != null ? find(handle) : onCommandLine(stageDir);
        if (running.isEmpty()) {
            if (handle == null) {
                return Outcome.notFound();
            }
            return Outcome.failed("the process (" + handle + ") ended while no trainer watched it; " + logTail(stageDir));
        }
        running.get().onExit().join();
        // not our child, so its exit code is gone: the result file decides, and its absence is a failure
        return Outcome.failed("the process (" + handle(running.get()) + ") ended without a result; " + logTail(stageDir));
    }

    /** pid@start-millis: a pid alone may belong to another process by the time a trainer restarts. */
    private static String handle(ProcessHandle process) {
        return process.pid() + "@" + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static Optional<ProcessHandle> find(String handle) {
        long pid = Long.parseLong(handle.substring(0, handle.indexOf('@')));
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> handle(p).equals(handle));
    }

    private static Optional<ProcessHandle> onCommandLine(Path stageDir) {
        String dir = stageDir.toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(dir)).orElse(false)).findFirst();
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the stage command", e);
        }
    }

    private static String logTail(Path stageDir) {
        Path log = stageDir.resolve(LOG);
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return "last lines of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES),
                    lines.size()));
        } catch (IOException e) {
            return "its log " + log + " cannot be read: " + e.getMessage();
        }
    }
}
