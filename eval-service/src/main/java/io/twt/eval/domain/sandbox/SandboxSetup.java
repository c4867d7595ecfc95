package io.twt.eval.domain.sandbox;

import java.nio.file.Path;

/**
 * How to build a {@link Sandbox}.
 *
 * @param python            the interpreter; must live under /usr, the only host tree bubblewrap shows
 * @param bwrap             the bubblewrap executable (a name looked up on PATH, or a path)
 * @param unshare           util-linux's unshare, the fallback for root where bubblewrap fails
 * @param workRoot          parent of the throw-away sample directories; must be traversable by nobody
 * @param requireNamespaces refuse to run code without namespaces (the default); false is the user's opt-in
 */
public record SandboxSetup(Path python, String bwrap, String unshare, SandboxLimits limits, Path workRoot,
                           boolean requireNamespaces) {

    public static SandboxSetup defaults(Path workRoot) {
        return new SandboxSetup(Path.of("/usr/bin/python3"), "bwrap", "unshare", SandboxLimits.defaults(), workRoot, true);
    }

    public SandboxSetup withLimits(SandboxLimits other) {
        return new SandboxSetup(python, bwrap, unshare, other, workRoot, requireNamespaces);
    }

    public SandboxSetup withBwrap(String other) {
        return new SandboxSetup(python, other, unshare, limits, workRoot, requireNamespaces);
    }

    public SandboxSetup withUnshare(String other) {
        return new SandboxSetup(python, bwrap, other, limits, workRoot, requireNamespaces);
    }

    public SandboxSetup requiringNamespaces(boolean required) {
        return new SandboxSetup(python, bwrap, unshare, limits, workRoot, required);
    }
}
