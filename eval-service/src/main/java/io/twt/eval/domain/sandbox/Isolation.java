package io.twt.eval.domain.sandbox;

/**
 * How strongly samples are kept apart from the host, strongest first; reported in health, metrics, the dashboard
 * and logs. At every level a sample runs with a fixed minimal environment (never the caller's), resource limits,
 * in a new session whose process group is killed, and, when run as root, as user nobody.
 */
public enum Isolation {
    /**
     * bubblewrap: new user, pid, network, ipc and uts namespaces; only /usr visible (read-only), a private /tmp
     * and the sample's own directory writable; the namespace dies with its first process.
     */
    BUBBLEWRAP("nothing but /usr (read-only) and its own directory: no network, no host files or processes"),
    /**
     * Where bubblewrap fails but root may create namespaces ({@code unshare}): private network, pid, ipc and uts
     * namespaces, no network at all; the host's files stay visible as user nobody sees them.
     */
    NETWORK_NAMESPACE("no network and no host processes, but every host file that user nobody may read"),
    /**
     * No namespaces (only with the opt-in {@code --allow-unsandboxed} / {@code twt.eval.sandbox.require=false}).
     */
    LIMITS_ONLY("the network (sockets to this host and beyond), every host file that is world-readable (nobody's view"
            + " when run as root), the host's process list; a process that leaves its session can outlive the timeout");

    private final String reachable;

    Isolation(String reachable) {
        this.reachable = reachable;
    }

    /** What generated code can still reach at this level, for the warning printed when it is weaker than the first. */
    public String reachable() {
        return reachable;
    }
}
