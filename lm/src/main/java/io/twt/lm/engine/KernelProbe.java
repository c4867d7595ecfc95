package io.twt.lm.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * One side of the kernel self-check, run in a child JVM because a process cannot undo the dispatch fix once
 * libtorch has bound to it: the same products from the same inputs, and the best fp32 matmul rate per CPU-second
 * (GFLOP for each second of CPU its threads used).
 * Usage: {@code java -cp ... io.twt.lm.engine.KernelProbe OUT_FILE [FIX_LIBRARY]}
 */
public final class KernelProbe {

    /** What one side measured: its fp32 matmul rate per CPU-second and the products the two sides compare. */
    public record Result(double gflops, float[] values) {

        /** The faster of two runs of one side (their products are the same computation). */
        static Result best(Result a, Result b) {
            return a == null || b.gflops > a.gflops ? b : a;
        }

        void write(Path file) throws IOException {
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
                out.writeDouble(gflops);
                out.writeInt(values.length);
                for (float v : values) {
                    out.writeFloat(v);
                }
            }
        }

        static Result read(Path file) throws IOException {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                double gflops = in.readDouble();
                float[] values = new float[in.readInt()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readFloat();
                }
                return new Result(gflops, values);
            }
        }
    }

    private static final int SQUARE = 2048;
    private static final int PRODUCTS_PER_BLOCK = 4;

    private KernelProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 1) {
            NativeKernels.loadGlobal(Path.of(args[1]));
        }
        System.setProperty("ai.djl.offline", "true");
        measure().write(Path.of(args[0]));
    }

    static Result measure() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            // the shapes the lab student's matmuls take: one decoded row, a prefill block, a training batch
            float[] row = product(manager, 1, 192, 512, 1);
            float[] block = product(manager, 37, 192, 1024, 2);
            float[] batch = product(manager, 256, 512, 384, 3);
            float[] values = new float[row.length + block.length + batch.length];
            System.arraycopy(row, 0, values, 0, row.length);
            System.arraycopy(block, 0, values, row.length, block.length);
            System.arraycopy(batch, 0, values, row.length + block.length, batch.length);
            NDArray a = manager.create(uniform(SQUARE * SQUARE, 4), new Shape(SQUARE, SQUARE));
            NDArray b = manager.create(uniform(SQUARE * SQUARE, 5), new Shape(SQUARE, SQUARE));
            a.matMul(b).close();
            // CPU time, not wall time: a busy machine takes turns away from the probe, not work from each product
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            // blocks of several products: the process CPU clock ticks in milliseconds, a product takes about 100
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long started = os.getProcessCpuTime();
                for (int i = 0; i < PRODUCTS_PER_BLOCK; i++) {
                    a.matMul(b).close();
                }
                best = Math.min(best, os.getProcessCpuTime() - started);
            }
            return new Result(PRODUCTS_PER_BLOCK * 2.0 * SQUARE * SQUARE * SQUARE / best, values);
        }
    }

    private static float[] product(NDManager manager, int m, int k, int n, long seed) {
        NDArray a = manager.create(uniform(m * k, seed), new Shape(m, k));
        NDArray b = manager.create(uniform(k * n, seed + 100), new Shape(k, n));
        return a.matMul(b).toFloatArray();
    }

    private static float[] uniform(int size, long seed) {
        Random random = new Random(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }
}
