package io.twt.lm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuInfoTest {

    @Test
    void theFirstProcessorsVendorModelAndFlagsAreRead() {
        CpuInfo cpu = CpuInfo.parse("amd64", """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 7B13
                flags\t\t: fpu sse2 avx2 fma

                processor\t: 1
                vendor_id\t: GenuineIntel
                flags\t\t: avx512f
                """);
        assertEquals("AuthenticAMD", cpu.vendor());
        assertEquals("AMD EPYC 7B13", cpu.modelName());
        assertTrue(cpu.x86_64());
        assertFalse(cpu.intel());
        assertFalse(cpu.avx512(), "flags of the first processor only");
        assertEquals("AuthenticAMD AMD EPYC 7B13 (amd64, AVX2)", cpu.describe());
    }
}
