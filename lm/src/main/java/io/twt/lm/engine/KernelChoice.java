package io.twt.lm.engine;

import java.util.Optional;

/**
 * Which kernels the student runs on and why: decided from the setting and the CPU where that suffices, else from a
 * self-check that runs the same products on both paths ({@link KernelProbe}).
 */
public record KernelChoice(KernelPath path, String reason) {

    /** The fix must buy at least this much matmul speed to be worth running on. */
    static final double MIN_SPEEDUP = 1.05;
    /** Largest difference between the two paths' products, relative to the largest magnitude in them. */
    static final double TOLERANCE = 1e-4;

    /** The decision that needs no measurement, if the setting, the CPU or the build already make it. */
    static Optional<KernelChoice> beforeCheck(String setting, CpuInfo cpu, boolean fixBuilt) {
        KernelPath wanted = setting.equals("auto") ? null : KernelPath.ofLabel(setting);
        if (wanted == KernelPath.MKL_DEFAULT) {
            return Optional.of(new KernelChoice(KernelPath.MKL_DEFAULT, "turned off (twt.lm.kernels=mkl-default)"));
        }
        if (wanted == KernelPath.CUDA) {
            throw new IllegalArgumentException("twt.lm.kernels: cuda follows the device, not this setting");
        }
        if (!cpu.x86_64()) {
            return Optional.of(new KernelChoice(KernelPath.MKL_DEFAULT, "no oneMKL dispatch to fix on " + cpu.architecture()));
        }
        if (!fixBuilt) {
            return Optional.of(new KernelChoice(KernelPath.MKL_DEFAULT,
                    "the dispatch fix is not in this build (lm/src/main/c/build.sh needs Linux x86-64 and gcc)"));
        }
        if (wanted == null && cpu.intel()) {
            return Optional.of(new KernelChoice(KernelPath.MKL_DEFAULT, "GenuineIntel: oneMKL takes its fast path by itself"));
        }
        return Optional.empty();
    }

    /** The self-check's verdict: the fix only where its products are equal to the default path's and faster. */
    static KernelChoice afterCheck(KernelProbe.Result plain, KernelProbe.Result fixed) {
        double difference = relativeDifference(plain.values(), fixed.values());
        if (!(difference <= TOLERANCE)) {
            return new KernelChoice(KernelPath.MKL_DEFAULT, "self-check: the fixed path's products differ by %.1e (tolerance %.0e), staying on oneMKL's default path"
                    .formatted(difference, TOLERANCE));
        }
        double speedup = fixed.gflops() / plain.gflops();
        if (speedup < MIN_SPEEDUP) {
            return new KernelChoice(KernelPath.MKL_DEFAULT, "self-check: the fixed path is not faster (%.1f vs %.1f GFLOP/cpu-s, %.2fx), staying on oneMKL's default path"
                    .formatted(fixed.gflops(), plain.gflops(), speedup));
        }
        return new KernelChoice(KernelPath.MKL_INTEL_PATH, "self-check: %.1f vs %.1f GFLOP/cpu-s (%.2fx), products equal within %.1e"
                .formatted(fixed.gflops(), plain.gflops(), speedup, difference));
    }

    static double relativeDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }
}
