package io.twt.eval.domain.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one untrusted Python program per call in its own process tree: a throw-away directory, resource
 * limits (prlimit), a wall-clock timeout after which the process group is killed, and, where bubblewrap
 * works, fresh namespaces with no network (see {@link Isolation}).
 */
public final class Sandbox {

    private static final String NOBODY = "65534";
    private static final String RUNNER = readRunner();

    private final Path python;
    private final SandboxLimits limits;
    private final Path workRoot;
    private final Isolation isolation;
    private final boolean root;

    private Sandbox(Path python, SandboxLimits limits, Path workRoot, Isolation isolation, boolean root) {
        this.python = python;
        this.limits = limits;
        this.workRoot = workRoot;
        this.isolation = isolation;
        this.root = root;
    }

    /** Uses bubblewrap when a trial run inside it succeeds, else falls back to limits only. */
    public static Sandbox create(Path python, SandboxLimits limits, Path workRoot) {
        try {
            Files.createDirectories(workRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sandbox directory " + workRoot, e);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Sandbox probe = new Sandbox(python, limits, workRoot, Isolation.BUBBLEWRAP, root);
        Isolation isolation = probe.run("pass").passed() ? Isolation.BUBBLEWRAP : Isolation.LIMITS_ONLY;
        return new Sandbox(python, limits, workRoot, isolation, root);
    }

    /** Forces one isolation level, for tests that prove what each level holds back. */
    public static Sandbox withIsolation(Path python, SandboxLimits limits, Path workRoot, Isolation isolation) {
        return new Sandbox(python, limits, workRoot, isolation, "root".equals(System.getProperty("user.name")));
    }

    public Isolation isolation() {
        return isolation;
    }

    public SandboxLimits limits() {
        return limits;
    }

    /** Runs {@code program} (a whole Python file) and reports whether it ran to its end without error. */
    public SandboxResult run(String program) {
        Path dir = null;
        long start = System.nanoTime();
        try {
            dir = Files.createTempDirectory(workRoot, "sample-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.writeString(dir.resolve("program.py"), program);
            Files.writeString(dir.resolve("runner.py"), RUNNER);
            if (root) {
                chownToNobody(dir);
            }
            return execute(dir, start);
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox could not run a sample", e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private SandboxResult execute(Path dir, long start) throws IOException {
        String nonce = UUID.randomUUID().toString();
        Process process = new ProcessBuilder(command(dir)).directory(dir.toFile()).redirectErrorStream(true).start();
        OutputTail tail = new OutputTail(process.getInputStream(), limits.maxOutputChars());
        Thread reader = Thread.ofVirtual().start(tail);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((nonce + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException programClosedItsInput) {
            // it exited or closed stdin before reading: it will fail without the nonce
        }
        boolean finished;
        try {
            finished = process.waitFor(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } finally {
            killTree(process);
        }
        try {
            reader.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String output = tail.text();
        int exitCode = finished ? process.exitValue() : -1;
        boolean passed = finished && exitCode == 0 && output.stripTrailing().endsWith(nonce);
        String shown = output.replace(nonce, "").strip();
        return new SandboxResult(passed, !finished, exitCode, shown, elapsed);
    }

    private List<String> command(Path dir) {
        List<String> command = new ArrayList<>();
        // a new session: the process group (pgid = this pid) is what gets killed afterwards
        command.add("setsid");
        if (root) {
            // as root, RLIMIT_NPROC is not enforced; a plain user it is
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        if (isolation == Isolation.BUBBLEWRAP) {
            command.addAll(List.of("bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                    "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                    "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                    "--bind", dir.toString(), "/sandbox", "--chdir", "/sandbox",
                    "--clearenv", "--setenv", "PATH", "/usr/bin", "--setenv", "HOME", "/sandbox"));
        }
        long cpuSeconds = limits.timeout().toSeconds() + 1;
        command.addAll(List.of("prlimit", "--as=" + limits.memoryBytes(), "--nproc=" + limits.maxProcesses(),
                "--fsize=" + limits.maxFileBytes(), "--cpu=" + cpuSeconds, "--core=0", "--nofile=64", "--"));
        command.addAll(List.of(python.toString(), "-I", "-B", "runner.py"));
        return command;
    }

    private static void killTree(Process process) {
        long pgid = process.pid();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            // orphans that stayed in the session's process group (no pid namespace in LIMITS_ONLY)
            new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not kill sample process group " + pgid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void chownToNobody(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.toList()) {
                Files.setAttribute(file, "unix:uid", Integer.parseInt(NOBODY));
                Files.setAttribute(file, "unix:gid", Integer.parseInt(NOBODY));
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete sample directory " + dir, e);
        }
    }

    private static String readRunner() {
        try (InputStream in = Sandbox.class.getResourceAsStream("runner.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a stream to its end, keeping only the last {@code limit} characters. */
    private static final class OutputTail implements Runnable {
        private final InputStream in;
        private final int limit;
        private final StringBuilder kept = new StringBuilder();

        OutputTail(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                        if (kept.length() > 2 * limit) {
                            kept.delete(0, kept.length() - limit);
                        }
                    }
                }
            } catch (IOException streamClosedByKill) {
                // the process was killed: what was read so far is the output
            }
        }

        String text() {
            synchronized (kept) {
                return kept.length() > limit ? kept.substring(kept.length() - limit) : kept.toString();
            }
        }
    }
}
