package io.twt.lm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors reader and writer: round trips, half-precision conversion, offsets past 2 GB. */
class SafetensorsFileTest {

    @TempDir
    Path tmp;

    @Test
    void writtenTensorsReadBackIdentically() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("a.weight", manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
            tensors.put("b", manager.create(new float[] {-0.5f}, new Shape(1)));
            Path file = tmp.resolve("x.safetensors");
            SafetensorsWriter.write(file, tensors, Map.of("note", "test"));
            try (SafetensorsFile read = SafetensorsFile.open(file)) {
                assertEquals(tensors.keySet(), read.names());
                assertEquals("test", read.metadata().get("note"));
                NDArray a = read.load("a.weight", manager);
                assertEquals(new Shape(2, 3), a.getShape());
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.toFloatArray());
                assertArrayEquals(new float[] {-0.5f}, read.load("b", manager).toFloatArray());
            }
        }
    }

    @Test
    void halfPrecisionTensorsAreWidenedToFloat32() throws Exception {
        // 1.0, -2.5, 0.15625, 3.0 in bfloat16 and in float16
        short[] bf16 = {0x3F80, (short) 0xC020, 0x3E20, 0x4040};
        short[] f16 = {0x3C00, (short) 0xC100, 0x3100, 0x4200};
        Path file = tmp.resolve("half.safetensors");
        String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[8,16]}}";
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.write(prefix(header));
            ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (short s : bf16) {
                data.putShort(s);
            }
            for (short s : f16) {
                data.putShort(s);
            }
            out.write(data.array());
        }
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile read = SafetensorsFile.open(file)) {
            float[] expected = {1f, -2.5f, 0.15625f, 3f};
            NDArray b = read.load("b", manager);
            assertEquals(new Shape(2, 2), b.getShape());
            assertArrayEquals(expected, b.toFloatArray());
            assertArrayEquals(expected, read.load("h", manager).toFloatArray());
        }
    }

    @Test
    void tensorsPastTwoGigabytesAreMapped() throws Exception {
        long gap = (1L << 31) + 64; // a sparse filler tensor puts the next one past 2 GB
        Path file = tmp.resolve("big.safetensors");
        String header = "{\"filler\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[0," + gap + "]},"
                + "\"late\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + gap + "," + (gap + 8) + "]}}";
        byte[] prefix = prefix(header);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.write(prefix);
            out.seek(prefix.length + gap);
            ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(7.5f).putFloat(-1f);
            out.write(data.array());
        }
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile read = SafetensorsFile.open(file)) {
            assertTrue(read.info("late").begin() > Integer.MAX_VALUE);
            assertArrayEquals(new float[] {7.5f, -1f}, read.load("late", manager).toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.load("filler", manager));
            assertTrue(e.getMessage().contains("filler"), e.getMessage());
        }
    }

    private static byte[] prefix(String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer prefix = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(json.length).put(json);
        return prefix.array();
    }
}
