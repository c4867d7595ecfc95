package io.twt.eval.domain.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile samples fail, within their timeout, and leave the host as it was. Needs bubblewrap (Debian bubblewrap). */
@Timeout(60)
class SandboxTest {

    // a loaded machine may give a sample a fraction of a core: the wall ceiling leaves it room to reach its CPU limit
    private static final Duration CPU_TIME = Duration.ofSeconds(1);
    private static final Duration WALL_TIMEOUT = Duration.ofSeconds(8);
    // the wall ceiling plus what killing a process tree and deleting its directory may take
    private static final Duration CONTAINED_WITHIN = WALL_TIMEOUT.plusSeconds(3);

    static final java.util.Set<String> FIXED_ENVIRONMENT = java.util.Set.of("PATH", "HOME", "LANG", "LC_CTYPE", "PWD");

    private static Sandbox sandbox;
    private static Path workRoot;

    @BeforeAll
    static void createSandbox() throws IOException {
        workRoot = Files.createTempDirectory("sandbox-test-");
        workRoot.toFile().setExecutable(true, false);
        workRoot.toFile().setReadable(true, false);
        SandboxLimits limits = new SandboxLimits(CPU_TIME, WALL_TIMEOUT, 256L << 20, 16, 1L << 20, 2_000);
        sandbox = Sandbox.create(SandboxSetup.defaults(workRoot).withLimits(limits));
    }

    @AfterAll
    static void nothingIsLeftInTheWorkDirectory() throws IOException {
        try (var left = Files.list(workRoot)) {
            assertEquals(0, left.count(), "sample directories are thrown away");
        }
    }

    @Test
    void bubblewrapIsUsedWhereItWorks() {
        assertEquals(Isolation.BUBBLEWRAP, sandbox.isolation());
    }

    @Test
    void programWhoseAssertsHoldPasses() {
        SandboxResult result = sandbox.run("def add(a, b):\n    return a + b\nassert add(1, 2) == 3\n");
        assertTrue(result.passed(), result.output());
    }

    @Test
    void failingAssertFailsWithItsReason() {
        SandboxResult result = sandbox.run("def add(a, b):\n    pass\nassert add(1, 2) == 3\n");
        assertFalse(result.passed());
        assertTrue(result.error().contains("AssertionError"), result.error());
    }

    @Test
    void exitingEarlyWithStatusZeroIsNotAPass() {
        assertFalse(sandbox.run("import sys\nsys.exit(0)\nassert False\n").passed());
        assertFalse(sandbox.run("import os\nos._exit(0)\nassert False\n").passed());
    }

    @Test
    void infiniteLoopIsStoppedAtItsCpuTimeLimit() {
        SandboxResult result = sandbox.run("while True:\n    pass\n");
        assertContained(result);
        assertTrue(result.cpuLimit(), result.output());
        assertEquals("CPU time limit exceeded", result.error());
    }

    @Test
    void catchingTheCpuSignalDoesNotBuyMoreTime() {
        SandboxResult result = sandbox.run("import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True:\n    pass\n");
        assertContained(result);
    }

    @Test
    void sleepingForeverIsKilledAtTheWallClockCeiling() {
        SandboxResult result = sandbox.run("import time\ntime.sleep(600)\n");
        assertContained(result);
        assertTrue(result.timedOut());
    }

    @Test
    void theCallersEnvironmentNeverReachesTheSample() {
        assertTrue(System.getenv().keySet().stream().anyMatch(name -> !FIXED_ENVIRONMENT.contains(name)),
                "the test JVM has variables of its own to leak");
        SandboxResult result = sandbox.run(SandboxFallbackTest.ENVIRONMENT_CHECK);
        assertTrue(result.passed(), result.output());
    }

    @Test
    void chattyInfiniteLoopKeepsOnlyATailOfItsOutput() {
        SandboxResult result = sandbox.run("while True:\n    print('spam' * 100)\n");
        assertContained(result);
        assertTrue(result.output().length() <= 2_000);
    }

    @Test
    void forkBombRunsOutOfProcessesAndLeavesNoneBehind() throws Exception {
        SandboxResult result = sandbox.run("import os\nwhile True:\n    os.fork()\n");
        assertContained(result);
        assertEquals(0, sampleProcesses(), "every forked process is gone");
        assertTrue(sandbox.run("assert 1 + 1 == 2\n").passed(), "the next sample runs normally");
    }

    @Test
    void memoryHogGetsMemoryError() {
        SandboxResult result = sandbox.run("hog = []\nwhile True:\n    hog.append(bytearray(16 << 20))\n");
        assertContained(result);
        assertTrue(result.output().contains("MemoryError"), result.output());
    }

    @Test
    void writingOutsideItsDirectoryFailsAndTheFileNeverAppears(@TempDir Path outside) {
        Path target = outside.resolve("escaped.txt");
        SandboxResult result = sandbox.run("open('" + target + "', 'w').write('x')\n");
        assertContained(result);
        assertFalse(Files.exists(target));
        SandboxResult home = sandbox.run("open('/usr/escaped.txt', 'w').write('x')\n");
        assertContained(home);
        assertFalse(Files.exists(Path.of("/usr/escaped.txt")));
    }

    @Test
    void openingASocketReachesNothing() throws IOException {
        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(500);
            SandboxResult result = sandbox.run("import socket\ns = socket.create_connection(('127.0.0.1', "
                    + listener.getLocalPort() + "), timeout=2)\ns.sendall(b'hello')\n");
            assertContained(result);
            assertThrowsTimeout(listener);
        }
        SandboxResult outbound = sandbox.run("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n");
        assertContained(outbound);
    }

    @Test
    void killingAHostProcessFailsAndTheProcessLives() throws Exception {
        Process victim = new ProcessBuilder("sleep", "60").start();
        try {
            SandboxResult result = sandbox.run("import os, signal\nos.kill(" + victim.pid() + ", signal.SIGKILL)\n"
                    + "os.kill(-1, signal.SIGKILL)\n");
            assertContained(result);
            assertFalse(victim.waitFor(500, TimeUnit.MILLISECONDS), "the victim is still running");
            assertTrue(ProcessHandle.current().isAlive());
        } finally {
            victim.destroyForcibly();
        }
    }

    private static void assertContained(SandboxResult result) {
        assertFalse(result.passed(), "hostile sample must fail: " + result.output());
        assertTrue(result.elapsed().compareTo(CONTAINED_WITHIN) < 0, "took " + result.elapsed());
    }

    private static void assertThrowsTimeout(ServerSocket listener) throws IOException {
        try {
            listener.accept().close();
            throw new AssertionError("the sample connected to a host socket");
        } catch (SocketTimeoutException expected) {
            // nobody connected
        }
    }

    private static long sampleProcesses() throws Exception {
        Process ps = new ProcessBuilder("ps", "-eo", "args=").start();
        String out = new String(ps.getInputStream().readAllBytes());
        ps.waitFor(5, TimeUnit.SECONDS);
        return out.lines().filter(line -> line.contains("-B runner.py")).count();
    }
}
