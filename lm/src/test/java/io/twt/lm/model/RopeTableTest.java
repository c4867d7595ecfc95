package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.config.LlamaConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void theRotateHalfMatrixGivesRotateHalfBitForBit() {
        try (NDManager manager = NDManager.newBaseManager(); RopeTable rope = new RopeTable(config(null), manager)) {
            NDArray x = manager.randomNormal(0, 100, new Shape(2, 3, 1, 64), DataType.FLOAT32);
            float[] in = x.toFloatArray();
            float[] expected = new float[in.length];
            for (int row = 0; row < in.length / 64; row++) { // [-x2, x1] per head
                for (int j = 0; j < 32; j++) {
                    expected[row * 64 + j] = -in[row * 64 + j + 32];
                    expected[row * 64 + j + 32] = in[row * 64 + j];
                }
            }
            assertArrayEquals(expected, x.matMul(rope.rotateHalf()).toFloatArray());
        }
    }
}
