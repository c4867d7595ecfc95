package io.twt.eval.domain.sandbox;

import java.time.Duration;

/**
 * How one sample ended.
 *
 * @param passed   every test ran and the program exited 0 after them
 * @param timedOut killed at the wall-clock ceiling
 * @param cpuLimit stopped at its CPU time limit
 * @param exitCode the process's exit code, -1 when it was killed at the timeout
 * @param output   the tail of stdout and stderr, for the per-example report
 */
public record SandboxResult(boolean passed, boolean timedOut, boolean cpuLimit, int exitCode, String output, Duration elapsed) {

    /** A one-line reason for a failed sample, or null when it passed. */
    public String error() {
        if (passed) {
            return null;
        }
        if (timedOut) {
            return "timed out after " + elapsed.toMillis() + " ms of wall clock";
        }
        if (cpuLimit) {
            return "CPU time limit exceeded";
        }
        String lastLine = output.strip().lines().reduce((a, b) -> b).orElse("");
        return "exit " + exitCode + (lastLine.isEmpty() ? "" : ": " + lastLine);
    }
}
