import java.util.function.DoubleSupplier;

/**
 * Work done over some wall-clock time: texts embedded, FLOPs (real-token FLOPs for an encoder, the chain's for
 * the matmul measurement), wall seconds and this process's CPU seconds (all threads, native ones included).
 */
final class Totals {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    long texts;
    double flops;
    double seconds;
    double cpuSeconds;

    /** Runs {@code work}, which returns the FLOPs it did. */
    static Totals measure(long texts, DoubleSupplier work) {
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        double flops = work.getAsDouble();
        Totals totals = new Totals();
        totals.seconds = (System.nanoTime() - start) / 1e9;
        totals.cpuSeconds = (OS.getProcessCpuTime() - cpu) / 1e9;
        totals.texts = texts;
        totals.flops = flops;
        return totals;
    }

    void add(Totals other) {
        texts += other.texts;
        flops += other.flops;
        seconds += other.seconds;
        cpuSeconds += other.cpuSeconds;
    }

    double textsPerSecond() {
        return texts / seconds;
    }

    double textsPerCpuSecond() {
        return texts / cpuSeconds;
    }

    double gflopsPerSecond() {
        return flops / seconds / 1e9;
    }

    double gflopsPerCpuSecond() {
        return flops / cpuSeconds / 1e9;
    }

    /** Texts per second and per CPU-second as fractions of what {@code ceiling}'s FLOP rate allows for these FLOPs. */
    String ofLimit(Totals ceiling) {
        return String.format("%.2f / %.2f", gflopsPerSecond() / ceiling.gflopsPerSecond(),
                gflopsPerCpuSecond() / ceiling.gflopsPerCpuSecond());
    }

    @Override
    public String toString() {
        return String.format("%.1f texts/s, %.1f texts per CPU-second", textsPerSecond(), textsPerCpuSecond());
    }
}
