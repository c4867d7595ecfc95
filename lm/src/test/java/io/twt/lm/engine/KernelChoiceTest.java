package io.twt.lm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelChoiceTest {

    private static final CpuInfo AMD = new CpuInfo("amd64", "AuthenticAMD", "AMD EPYC", Set.of("avx2", "avx512f"));
    private static final CpuInfo INTEL = new CpuInfo("amd64", "GenuineIntel", "Intel Xeon", Set.of("avx2", "avx512f"));
    private static final CpuInfo ARM = new CpuInfo("aarch64", "unknown", "unknown", Set.of());
    private static final float[] PRODUCTS = {1.5f, -2.25f, 40f};

    @Test
    void aNonIntelX86CpuWithTheFixBuiltNeedsTheSelfCheck() {
        assertEquals(Optional.empty(), KernelChoice.beforeCheck("auto", AMD, true));
    }

    @Test
    void anIntelCpuStaysOnTheDefaultPathWithoutACheck() {
        KernelChoice choice = KernelChoice.beforeCheck("auto", INTEL, true).orElseThrow();
        assertEquals(KernelPath.MKL_DEFAULT, choice.path());
        assertTrue(choice.reason().contains("GenuineIntel"), choice.reason());
    }

    @Test
    void forcingTheFixOnIntelStillChecksIt() {
        assertEquals(Optional.empty(), KernelChoice.beforeCheck("mkl-intel-path", INTEL, true));
    }

    @Test
    void forcedWhereItDoesNotPayTheCheckFallsBackAndSaysSo() {
        // what forcing the fix on Intel measures: the same kernels on both sides
        KernelChoice choice = KernelChoice.afterCheck(new KernelProbe.Result(100, PRODUCTS), new KernelProbe.Result(101, PRODUCTS));
        assertEquals(KernelPath.MKL_DEFAULT, choice.path());
        assertTrue(choice.reason().contains("not faster (101.0 vs 100.0 GFLOP/cpu-s"), choice.reason());
    }

    @Test
    void productsThatDifferKeepTheDefaultPathHoweverFast() {
        float[] off = {1.5f, -2.25f, 40.01f};
        KernelChoice choice = KernelChoice.afterCheck(new KernelProbe.Result(80, PRODUCTS), new KernelProbe.Result(160, off));
        assertEquals(KernelPath.MKL_DEFAULT, choice.path());
        assertTrue(choice.reason().contains("differ by 2.5e-04"), choice.reason());
    }

    @Test
    void fasterAndEqualTakesTheIntelPath() {
        float[] rounding = {1.5f, -2.25f, 40.0001f};
        KernelChoice choice = KernelChoice.afterCheck(new KernelProbe.Result(80, PRODUCTS), new KernelProbe.Result(120, rounding));
        assertEquals(KernelPath.MKL_INTEL_PATH, choice.path());
        assertTrue(choice.reason().contains("120.0 vs 80.0 GFLOP/cpu-s (1.50x)"), choice.reason());
    }

    @Test
    void theOffSettingTheMissingFixAndOtherArchitecturesNeedNoCheck() {
        assertEquals(KernelPath.MKL_DEFAULT, KernelChoice.beforeCheck("mkl-default", AMD, true).orElseThrow().path());
        assertTrue(KernelChoice.beforeCheck("auto", AMD, false).orElseThrow().reason().contains("not in this build"));
        assertTrue(KernelChoice.beforeCheck("auto", ARM, false).orElseThrow().reason().contains("aarch64"));
    }

    @Test
    void anUnknownSettingIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelChoice.beforeCheck("fast", AMD, true));
        assertTrue(e.getMessage().startsWith("twt.lm.kernels: 'fast'"), e.getMessage());
    }
}
