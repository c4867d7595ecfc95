import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.twt.embedding.domain.OnnxSessions;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * The fp32 matmul rate the FLOP-bound limit is computed from: OnnxRuntime (the service's engine, its session
 * options and threads) running the model's own weight matrices chained as MatMuls on {@code rows} rows, i.e. the
 * model's linear layers alone, at the shapes of one full forward pass.
 */
final class MatMulRate implements AutoCloseable {

    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final OnnxTensor input;
    private final double flopsPerRun;
    final int rows;

    MatMulRate(OnnxModelShape model, int rows, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.rows = rows;
        this.options = OnnxSessions.options(threads);
        this.session = env.createSession(model.matMulChain(7), options);
        int width = (int) model.weights().get(0)[0];
        float[] x = new float[rows * width];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        this.input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{rows, width});
        this.flopsPerRun = model.chainFlops(rows);
        run(); // first run: allocations and prepacking outside the timing
    }

    /** Runs the chain for at least {@code seconds} of wall clock; FLOPs done, wall and CPU seconds. */
    Totals measure(double seconds) {
        return Totals.measure(0, () -> {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            int runs = 0;
            do {
                run();
                runs++;
            } while (System.nanoTime() < end);
            return runs * flopsPerRun;
        });
    }

    private void run() {
        try (OrtSession.Result result = session.run(Map.of("x", input))) {
            if (result.size() != 1) {
                throw new IllegalStateException("the chain has one output");
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws OrtException {
        input.close();
        session.close();
        options.close();
    }
}
