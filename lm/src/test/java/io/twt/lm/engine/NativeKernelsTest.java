package io.twt.lm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeKernelsTest {

    @TempDir
    Path cache;

    @AfterEach
    void forgetCache() {
        System.clearProperty("twt.lm.kernel-cache");
    }

    @Test
    void theSelfCheckOnThisMachineFindsTheFixedProductsEqualAndKeepsItsVerdict() throws Exception {
        System.setProperty("twt.lm.kernel-cache", cache.toString());
        CpuInfo cpu = CpuInfo.current();
        Optional<Path> fix = NativeKernels.extractFix();
        assumeTrue(cpu.x86_64() && fix.isPresent(), "the dispatch fix is built on Linux x86-64 with gcc only");

        KernelChoice measured = NativeKernels.checkedOnce(cpu, fix.get(), "passive");

        // two real child JVMs a side: both paths must give the same products, whichever is faster here
        assertFalse(measured.reason().contains("failed"), measured.reason());
        assertFalse(measured.reason().contains("differ"), measured.reason());
        Path verdict;
        try (var verdicts = Files.list(cache)) {
            verdict = verdicts.filter(f -> f.getFileName().toString().startsWith("verdict-")).findFirst().orElseThrow();
        }
        var written = Files.getLastModifiedTime(verdict);
        assertEquals(measured, NativeKernels.checkedOnce(cpu, fix.get(), "passive"));
        assertEquals(written, Files.getLastModifiedTime(verdict), "the kept verdict is read, not measured again");
    }

    @Test
    void thisProcessSaysWhichKernelsItRuns() {
        KernelChoice choice = NativeKernels.prepare();
        assertFalse(choice.reason().isBlank());
        assertEquals(choice, NativeKernels.current(), "no student on a GPU here: the CPU's kernels");
    }

    @Test
    void aSpinCountIsZeroOrMoreAndAnythingElseNamesTheSetting() {
        assertEquals(0, NativeKernels.spinCount("0"));
        assertEquals(10_000, NativeKernels.spinCount("10000"));
        for (String bad : new String[] {"-1", "fast", "1e4"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> NativeKernels.spinCount(bad));
            assertTrue(e.getMessage().startsWith("twt.lm.omp-spin-count: '" + bad + "'"), e.getMessage());
        }
    }
}
