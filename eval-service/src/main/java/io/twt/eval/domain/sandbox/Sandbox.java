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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Runs one untrusted Python program per call in its own process tree: a throw-away directory, a fixed minimal
 * environment (never the caller's: no keys, tokens or paths leak in), resource limits (prlimit: CPU seconds above
 * all), a wall-clock ceiling after which the process group is killed, and the strongest {@link Isolation} the
 * machine allows. Without namespaces it refuses to run code unless the user opted in.
 */
public final class Sandbox {

    private static final String NOBODY = "65534";
    private static final String RUNNER = readRunner();
    /** What runner.py prints when RLIMIT_CPU's soft limit signals it (SIGXCPU). */
    private static final String CPU_LIMIT_MARK = "twt-sandbox: CPU time limit exceeded";

    private final SandboxSetup setup;
    private final Isolation isolation;
    private final boolean root;
    private final String bubblewrapProblem;
    private final boolean refused;
    private final LongAdder samplesRun = new LongAdder();

    private Sandbox(SandboxSetup setup, Isolation isolation, boolean root, String bubblewrapProblem, boolean refused) {
        this.setup = setup;
        this.isolation = isolation;
        this.root = root;
        this.bubblewrapProblem = bubblewrapProblem;
        this.refused = refused;
    }

    /**
     * Probes the strongest level that works here: bubblewrap, else (as root) unshare's private network namespace,
     * else none, in which case code is refused unless {@link SandboxSetup#requireNamespaces()} is false.
     */
    public static Sandbox create(SandboxSetup setup) {
        try {
            Files.createDirectories(setup.workRoot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sandbox directory " + setup.workRoot(), e);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String bubblewrapProblem = probe(setup, Isolation.BUBBLEWRAP, root);
        if (bubblewrapProblem == null) {
            return new Sandbox(setup, Isolation.BUBBLEWRAP, root, null, false);
        }
        if (root && probe(setup, Isolation.NETWORK_NAMESPACE, true) == null) {
            return new Sandbox(setup, Isolation.NETWORK_NAMESPACE, true, bubblewrapProblem, false);
        }
        return new Sandbox(setup, Isolation.LIMITS_ONLY, root, bubblewrapProblem, setup.requireNamespaces());
    }

    /** One isolation level without probing: for tests that prove what each level holds back, and where no code runs. */
    public static Sandbox withIsolation(SandboxSetup setup, Isolation isolation) {
        return new Sandbox(setup, isolation, "root".equals(System.getProperty("user.name")), null, false);
    }

    /** Null when a trial program runs at this level, else why it does not. */
    private static String probe(SandboxSetup setup, Isolation level, boolean root) {
        String tool = level == Isolation.BUBBLEWRAP ? setup.bwrap() : setup.unshare();
        if (!executableOnPath(tool)) {
            return level == Isolation.BUBBLEWRAP ? "bubblewrap is not installed (no '" + tool + "' on PATH)"
                    : "no '" + tool + "' on PATH";
        }
        SandboxResult trial = new Sandbox(setup, level, root, null, false).run("pass");
        if (trial.passed()) {
            return null;
        }
        String said = trial.output().strip().lines().reduce((a, b) -> b).orElse("exit " + trial.exitCode());
        return level == Isolation.BUBBLEWRAP ? "bubblewrap cannot create namespaces here (" + said + ")" : said;
    }

    public Isolation isolation() {
        return isolation;
    }

    public SandboxLimits limits() {
        return setup.limits();
    }

    /** The level health, metrics and the dashboard report: the isolation, or NONE where code is refused. */
    public String reportedLevel() {
        return refused ? "NONE" : isolation.name();
    }

    /** Whether code is refused: no namespaces and no opt-in. */
    public boolean refusesCode() {
        return refused;
    }

    /** Samples run since start (trial runs included), for metrics and restart checks. */
    public long samplesRun() {
        return samplesRun.sum();
    }

    /** Why code is refused, and the fixes: the message users see from the service, the CLI and the launcher. */
    public String refusal() {
        if (!refused) {
            return null;
        }
        return "code execution refused: " + bubblewrapProblem + " and unshare cannot make a network namespace"
                + (root ? "" : " (that needs root)") + ". Fix: " + fix() + ". Or run code without namespaces at"
                + " your own risk with --allow-unsandboxed (eval-service: twt.eval.sandbox.require=false), which"
                + " leaves it " + Isolation.LIMITS_ONLY.reachable();
    }

    /** One line for logs and health: the level, why no stronger one works, and what stays reachable. */
    public String summary() {
        if (refused) {
            return "no isolation, code refused: " + bubblewrapProblem;
        }
        if (isolation == Isolation.BUBBLEWRAP) {
            return "BUBBLEWRAP: " + isolation.reachable();
        }
        return isolation + (bubblewrapProblem == null ? "" : " because " + bubblewrapProblem + " (fix: " + fix() + ")")
                + "; generated code can still reach " + isolation.reachable();
    }

    private String fix() {
        if (bubblewrapProblem != null && bubblewrapProblem.startsWith("bubblewrap is not installed")) {
            return "apt-get install bubblewrap (as .ci/run does)";
        }
        return "let unprivileged users create user namespaces (sysctl -w kernel.unprivileged_userns_clone=1 on Debian,"
                + " sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu 24.04; in a container, allow"
                + " unshare, e.g. docker run --security-opt seccomp=unconfined)";
    }

    /** Runs {@code program} (a whole Python file) and reports whether it ran to its end without error. */
    public SandboxResult run(String program) {
        if (refused) {
            throw new IllegalStateException(refusal());
        }
        samplesRun.increment();
        Path dir = null;
        long start = System.nanoTime();
        try {
            dir = Files.createTempDirectory(setup.workRoot(), "sample-", PosixFilePermissions.asFileAttribute(
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
        ProcessBuilder builder = new ProcessBuilder(command(dir)).directory(dir.toFile()).redirectErrorStream(true);
        // the caller's environment (API keys, tokens, proxies, paths) never reaches generated code
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(), "LANG", "C.UTF-8"));
        Process process = builder.start();
        OutputTail tail = new OutputTail(process.getInputStream(), setup.limits().maxOutputChars());
        Thread reader = Thread.ofVirtual().start(tail);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((nonce + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException programClosedItsInput) {
            // it exited or closed stdin before reading: it will fail without the nonce
        }
        boolean finished;
        try {
            finished = process.waitFor(setup.limits().wallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } finally {
            killTree(process);
        }
        try {
            // EOF comes as soon as the tree is dead; the bound is for a pipe an escaped process still holds. Generous,
            // since on a loaded machine the reader may not have drained the last line (the nonce) yet
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly(); // closes this end of the pipes, now that the reader is done or gave up
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String output = tail.text();
        int exitCode = finished ? process.exitValue() : -1;
        boolean passed = finished && exitCode == 0 && output.stripTrailing().endsWith(nonce);
        String shown = output.replace(nonce, "").strip();
        return new SandboxResult(passed, !finished, output.contains(CPU_LIMIT_MARK), exitCode, shown, elapsed);
    }

    private List<String> command(Path dir) {
        List<String> command = new ArrayList<>();
        // a new session: the process group (pgid = this pid) is what gets killed afterwards
        command.add("setsid");
        if (isolation == Isolation.NETWORK_NAMESPACE) {
            // as root, before dropping to nobody; --kill-child: the namespace's processes die with unshare
            command.addAll(List.of(setup.unshare(), "--net", "--ipc", "--uts", "--pid", "--fork", "--kill-child",
                    "--mount-proc"));
        }
        if (root) {
            // as root, RLIMIT_NPROC is not enforced; a plain user it is
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        if (isolation == Isolation.BUBBLEWRAP) {
            command.addAll(List.of(setup.bwrap(), "--unshare-all", "--die-with-parent", "--new-session",
                    "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                    "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                    "--bind", dir.toString(), "/sandbox", "--chdir", "/sandbox",
                    "--clearenv", "--setenv", "PATH", "/usr/bin", "--setenv", "HOME", "/sandbox",
                    "--setenv", "LANG", "C.UTF-8"));
        }
        // SIGXCPU at the soft limit (runner.py reports it), SIGKILL a second later should the program catch it
        long cpuSeconds = setup.limits().cpuTime().toSeconds();
        command.addAll(List.of("prlimit", "--as=" + setup.limits().memoryBytes(), "--nproc=" + setup.limits().maxProcesses(),
                "--fsize=" + setup.limits().maxFileBytes(), "--cpu=" + cpuSeconds + ":" + (cpuSeconds + 1), "--core=0",
                "--nofile=64", "--"));
        command.addAll(List.of(setup.python().toString(), "-I", "-B", "runner.py"));
        return command;
    }

    private static boolean executableOnPath(String tool) {
        if (tool.contains("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(":")).anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    private static void killTree(Process process) {
        long pgid = process.pid();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        // through its handle: Process.destroy would close the pipe before the reader drained it (a busy machine lost
        // the nonce of programs that had passed)
        process.toHandle().destroyForcibly();
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
