package io.twt.eval.domain.sandbox;

import java.time.Duration;

/**
 * What one sample may use.
 *
 * @param timeout        wall clock, after which the whole process tree is killed
 * @param memoryBytes    address space of each process (RLIMIT_AS), so a memory hog gets MemoryError
 * @param maxProcesses   processes of the sandbox user (RLIMIT_NPROC), so a fork bomb runs out of forks
 * @param maxFileBytes   size of any file it writes (RLIMIT_FSIZE)
 * @param maxOutputChars output kept for the report; the rest is read and dropped so a chatty loop cannot fill memory
 */
public record SandboxLimits(Duration timeout, long memoryBytes, int maxProcesses, long maxFileBytes, int maxOutputChars) {

    /** Limits that fit MBPP: its reference solutions finish in well under a second. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(Duration.ofSeconds(10), 512L << 20, 32, 16L << 20, 4_000);
    }
}
