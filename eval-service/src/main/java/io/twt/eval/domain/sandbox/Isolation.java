package io.twt.eval.domain.sandbox;

/** How strongly samples are kept apart from the host; reported on the dashboard and in logs. */
public enum Isolation {
    /**
     * bubblewrap: new user, pid, network, ipc and uts namespaces; only /usr visible (read-only), a private
     * /tmp and the sample's own directory writable; the namespace dies with its first process.
     */
    BUBBLEWRAP,
    /**
     * No namespaces (bubblewrap missing or refused): resource limits, a new session whose process group is
     * killed, and, when run as root, the unprivileged user "nobody". Network and the host's world-readable
     * files remain reachable, and a process that leaves the session can outlive the timeout.
     */
    LIMITS_ONLY
}
