package io.twt.lm.model;

import io.twt.lm.config.LlamaConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotary frequencies follow transformers, including llama3's rope_scaling bands. */
class RopeTableTest {

    private static LlamaConfig config(LlamaConfig.RopeScaling scaling) {
        return new LlamaConfig("llama", 100, 2048, 64, 1, 32, 8, 64, 64, 1e-5, 500000.0, scaling, 8192, false, false,
                false, 0, 1, List.of(2), -1);
    }

    @Test
    void frequenciesAreInverseThetaPowers() {
        float[] inv = RopeTable.inverseFrequencies(config(null));
        assertEquals(32, inv.length);
        assertEquals(1.0f, inv[0]);
        assertEquals((float) Math.pow(500000.0, -2.0 / 64), inv[1], 1e-9);
    }

    @Test
    void llama3ScalingDividesLongWavelengthsKeepsShortOnesAndBlendsBetween() {
        LlamaConfig.RopeScaling scaling = new LlamaConfig.Llama3(32.0, 1.0, 4.0, 8192);
        float[] plain = RopeTable.inverseFrequencies(config(null));
        float[] scaled = RopeTable.inverseFrequencies(config(scaling));
        int blended = 0;
        for (int i = 0; i < plain.length; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen < 8192 / 4.0) {
                assertEquals(plain[i], scaled[i], "short wavelength " + i);
            } else if (wavelen > 8192 / 1.0) {
                assertEquals(plain[i] / 32.0, scaled[i], 1e-12, "long wavelength " + i);
            } else {
                assertTrue(scaled[i] < plain[i] && scaled[i] > plain[i] / 32.0, "blend " + i);
                blended++;
            }
        }
        assertTrue(blended > 0);
    }
}
