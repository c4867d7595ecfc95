package io.twt.eval.domain.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where namespaces do not work: a bubblewrap that fails (a script standing in for one the kernel refuses), or none
 * installed. Code is refused with the cause and the fix, unless the user opts in; at every level the sample's
 * environment is the fixed minimal one.
 */
@Timeout(60)
class SandboxFallbackTest {

    /** Passes only when the environment holds the fixed variables and nothing of the caller's. */
    static final String ENVIRONMENT_CHECK = """
            import os
            extra = set(os.environ) - {"PATH", "HOME", "LANG", "LC_CTYPE", "PWD"}  # PWD: bwrap sets it for --chdir
            assert not extra, sorted(extra)
            assert os.environ["PATH"] in ("/usr/bin", "/usr/bin:/bin"), os.environ["PATH"]
            assert os.environ["HOME"] != "/root"
            """;

    private static Path workRoot;
    private static String failingBwrap;
    private static String failingUnshare;

    @BeforeAll
    static void fakeTools() throws IOException {
        workRoot = Files.createTempDirectory("sandbox-fallback-");
        Files.setPosixFilePermissions(workRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        failingBwrap = script("bwrap", "echo 'bwrap: No permissions to creating new namespace' >&2; exit 1");
        failingUnshare = script("unshare", "echo 'unshare: unshare failed: Operation not permitted' >&2; exit 1");
    }

    private static SandboxSetup setup() {
        SandboxLimits limits = new SandboxLimits(Duration.ofSeconds(1), Duration.ofSeconds(8), 256L << 20, 16, 1L << 20, 2_000);
        return SandboxSetup.defaults(workRoot).withLimits(limits);
    }

    @Test
    void aFailingBubblewrapWithoutUnshareRefusesCodeNamingCauseAndFix() {
        Sandbox sandbox = Sandbox.create(setup().withBwrap(failingBwrap).withUnshare(failingUnshare));
        assertTrue(sandbox.refusesCode());
        String refusal = sandbox.refusal();
        assertTrue(refusal.contains("bubblewrap cannot create namespaces here"), refusal);
        assertTrue(refusal.contains("No permissions to creating new namespace"), "bubblewrap's own words: " + refusal);
        assertTrue(refusal.contains("sysctl"), "the fix: " + refusal);
        assertTrue(refusal.contains("--allow-unsandboxed") && refusal.contains("twt.eval.sandbox.require=false"), refusal);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> sandbox.run("assert True\n"));
        assertEquals(refusal, thrown.getMessage());
    }

    @Test
    void aMissingBubblewrapSaysToInstallIt() {
        Sandbox sandbox = Sandbox.create(setup().withBwrap("/nonexistent/bwrap").withUnshare(failingUnshare));
        assertTrue(sandbox.refusesCode());
        assertTrue(sandbox.refusal().contains("bubblewrap is not installed"), sandbox.refusal());
        assertTrue(sandbox.refusal().contains("apt-get install bubblewrap"), sandbox.refusal());
    }

    @Test
    void theOptInRunsCodeWithLimitsAndAScrubbedEnvironmentAndSaysWhatStaysReachable() {
        Sandbox sandbox = Sandbox.create(setup().withBwrap(failingBwrap).withUnshare(failingUnshare)
                .requiringNamespaces(false));
        assertFalse(sandbox.refusesCode());
        assertEquals(Isolation.LIMITS_ONLY, sandbox.isolation());
        assertTrue(sandbox.summary().contains("the network"), sandbox.summary());
        SandboxResult environment = sandbox.run(ENVIRONMENT_CHECK);
        assertTrue(environment.passed(), environment.output());
        SandboxResult loop = sandbox.run("while True:\n    pass\n");
        assertTrue(loop.cpuLimit() || loop.timedOut(), "limits still hold: " + loop.error());
    }

    @Test
    void whereBubblewrapFailsRootGetsAPrivateNetworkNamespace() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "unshare --net needs root");
        Sandbox sandbox = Sandbox.create(setup().withBwrap(failingBwrap));
        assertEquals(Isolation.NETWORK_NAMESPACE, sandbox.isolation());
        assertFalse(sandbox.refusesCode());
        assertTrue(sandbox.summary().contains("bubblewrap cannot create namespaces"), sandbox.summary());
        assertTrue(sandbox.run("assert sum([1, 2]) == 3\n").passed());
        assertTrue(sandbox.run(ENVIRONMENT_CHECK).passed());
        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(500);
            SandboxResult result = sandbox.run("import socket\nsocket.create_connection(('127.0.0.1', "
                    + listener.getLocalPort() + "), timeout=2)\n");
            assertFalse(result.passed(), result.output());
            assertThrows(SocketTimeoutException.class, () -> listener.accept().close(), "nothing connected");
        }
        assertFalse(sandbox.run("import os, signal\nos.kill(" + ProcessHandle.current().pid() + ", 0)\n").passed(),
                "host processes are out of sight");
    }

    private static String script(String name, String body) throws IOException {
        Path script = workRoot.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script.toString();
    }
}
