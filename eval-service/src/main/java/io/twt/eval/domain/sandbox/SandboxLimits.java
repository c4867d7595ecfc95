package io.twt.eval.domain.sandbox;

import java.time.Duration;

/**
 * What one sample may use.
 *
 * @param cpuTime        CPU seconds (RLIMIT_CPU), the limit that stops runaway code: unlike wall-clock time it does not
 *                       shrink when a loaded machine gives the sample less of a core
 * @param wallTimeout    wall clock, a ceiling for code that waits instead of computing (sleep, a blocked read), after
 *                       which the whole process tree is killed
 * @param memoryBytes    address space of each process (RLIMIT_AS), so a memory hog gets MemoryError
 * @param maxProcesses   processes of the sandbox user (RLIMIT_NPROC), so a fork bomb runs out of forks
 * @param maxFileBytes   size of any file it writes (RLIMIT_FSIZE)
 * @param maxOutputChars output kept for the report; the rest is read and dropped so a chatty loop cannot fill memory
 */
public record SandboxLimits(Duration cpuTime, Duration wallTimeout, long memoryBytes, int maxProcesses, long maxFileBytes,
                            int maxOutputChars) {

    public SandboxLimits {
        if (cpuTime.toSeconds() < 1) {
            throw new IllegalArgumentException("the CPU time limit counts whole seconds: " + cpuTime);
        }
        if (wallTimeout.compareTo(cpuTime) < 0) {
            throw new IllegalArgumentException("the wall-clock ceiling " + wallTimeout + " is below the CPU time " + cpuTime);
        }
    }

    /**
     * Limits that fit MBPP: its reference solutions need well under a second of CPU; the wall ceiling leaves room
     * for a machine busy enough to give a sample a tenth of a core.
     */
    public static SandboxLimits defaults() {
        return new SandboxLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 512L << 20, 32, 16L << 20, 4_000);
    }
}
