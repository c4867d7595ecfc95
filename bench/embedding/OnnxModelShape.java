import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the FLOP count needs from a BERT-style ONNX file, read from its initializers (ModelProto.graph.initializer:
 * name and dims; no onnx library, a protobuf walk): non-embedding parameters, layers, hidden size and the weight
 * matrices in file order. Also writes the ONNX model the matmul rate is measured on: those weight matrices (random,
 * variance-preserving values) chained as MatMuls, nothing else.
 */
record OnnxModelShape(long nonEmbeddingParameters, long embeddingParameters, int layers, int hidden, List<long[]> weights) {

    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layer\\.(\\d+)\\.");

    static OnnxModelShape read(Path onnx) throws IOException {
        ByteBuffer model = ByteBuffer.wrap(Files.readAllBytes(onnx));
        ByteBuffer graph = null;
        for (Field f = Field.next(model); f != null; f = Field.next(model)) {
            if (f.number == 7) { // ModelProto.graph
                graph = f.bytes;
            }
        }
        if (graph == null) {
            throw new IOException(onnx + ": no graph");
        }
        long nonEmbedding = 0;
        long embedding = 0;
        int hidden = 0;
        TreeSet<Integer> layers = new TreeSet<>();
        List<long[]> weights = new ArrayList<>();
        for (Field f = Field.next(graph); f != null; f = Field.next(graph)) {
            if (f.number != 5) { // GraphProto.initializer (TensorProto)
                continue;
            }
            String name = "";
            List<Long> dims = new ArrayList<>();
            for (Field t = Field.next(f.bytes); t != null; t = Field.next(f.bytes)) {
                if (t.number == 1 && t.bytes == null) {
                    dims.add(t.value);
                } else if (t.number == 1) { // packed dims
                    while (t.bytes.hasRemaining()) {
                        dims.add(Field.varint(t.bytes));
                    }
                } else if (t.number == 8) {
                    name = new String(bytes(t.bytes), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            long count = dims.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
            if (name.startsWith("embeddings.")) {
                // token, position and type embeddings are looked up, not multiplied; position_ids is a constant
                embedding += name.endsWith("position_ids") ? 0 : count;
                if (name.equals("embeddings.LayerNorm.weight")) {
                    hidden = dims.get(0).intValue();
                }
                continue;
            }
            nonEmbedding += count;
            Matcher layer = LAYER.matcher(name);
            if (layer.find()) {
                layers.add(Integer.parseInt(layer.group(1)));
            }
            if (dims.size() == 2) {
                weights.add(new long[]{dims.get(0), dims.get(1)});
            }
        }
        if (hidden == 0 || layers.isEmpty()) {
            throw new IOException(onnx + ": not a BERT-style model (no embeddings.LayerNorm.weight or no layer.N weights)");
        }
        return new OnnxModelShape(nonEmbedding, embedding, layers.size(), hidden, weights);
    }

    /**
     * FLOPs of one window row of {@code positions} positions (its tokens, or its tokens and padding), each attending
     * over all of them: the linear layers (2 x non-embedding parameters per position) and, per layer, attention's
     * QK^T and AV (2 x positions x hidden each, per position).
     */
    double rowFlops(long positions) {
        return positions * (2.0 * nonEmbeddingParameters + 4.0 * layers * positions * hidden);
    }

    /** FLOPs of one run of {@link #matMulChain} on {@code rows} rows. */
    double chainFlops(long rows) {
        return 2.0 * rows * weights.stream().mapToLong(w -> w[0] * w[1]).sum();
    }

    /**
     * An ONNX model {@code x (rows, hidden) -> x W1 -> x W1 W2 -> ...} over the model's weight matrices in file
     * order (Q, K, V, attention output, FFN up, FFN down per layer): the model's matrix products at its shapes,
     * as constant initializers, as OnnxRuntime prepacks the model's. Fails unless the shapes chain.
     */
    byte[] matMulChain(long seed) {
        Random random = new Random(seed);
        Proto graph = new Proto().string(2, "matmul-chain");
        String x = "x";
        long width = weights.get(0)[0];
        for (int i = 0; i < weights.size(); i++) {
            long[] w = weights.get(i);
            if (w[0] != width) {
                throw new IllegalStateException("weight " + i + " is " + w[0] + "x" + w[1] + ", follows width " + width);
            }
            // uniform in +-sqrt(3/in): unit variance in, unit variance out, no overflow or denormals over the chain
            float bound = (float) Math.sqrt(3.0 / w[0]);
            ByteBuffer raw = ByteBuffer.allocate((int) (w[0] * w[1] * 4)).order(ByteOrder.LITTLE_ENDIAN);
            while (raw.hasRemaining()) {
                raw.putFloat((random.nextFloat() * 2 - 1) * bound);
            }
            String name = "w" + i;
            graph.message(5, new Proto().int64(1, w[0]).int64(1, w[1]).int64(2, 1).string(8, name).bytes(9, raw.array()));
            String y = i == weights.size() - 1 ? "y" : "h" + i;
            graph.message(1, new Proto().string(1, x).string(1, name).string(2, y).string(3, "mm" + i).string(4, "MatMul"));
            x = y;
            width = w[1];
        }
        graph.message(11, valueInfo("x", weights.get(0)[0]));
        graph.message(12, valueInfo("y", width));
        return new Proto()
                .int64(1, 8) // ir_version
                .string(2, "twt-bench")
                .message(8, new Proto().string(1, "").int64(2, 13)) // opset_import: default domain, opset 13
                .message(7, graph)
                .toByteArray();
    }

    /** A float tensor (rows, width) with rows left symbolic. */
    private static Proto valueInfo(String name, long width) {
        Proto shape = new Proto()
                .message(1, new Proto().string(2, "rows"))
                .message(1, new Proto().int64(1, width));
        return new Proto().string(1, name).message(2, new Proto().message(1, new Proto().int64(1, 1).message(2, shape)));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** One protobuf field: a varint value, or the bytes of a length-delimited one. */
    private record Field(int number, long value, ByteBuffer bytes) {

        static Field next(ByteBuffer in) {
            if (!in.hasRemaining()) {
                return null;
            }
            long key = varint(in);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0:
                    return new Field(number, varint(in), null);
                case 1:
                    in.position(in.position() + 8);
                    return new Field(number, 0, null);
                case 5:
                    in.position(in.position() + 4);
                    return new Field(number, 0, null);
                case 2:
                    int length = (int) varint(in);
                    ByteBuffer slice = in.slice(in.position(), length);
                    in.position(in.position() + length);
                    return new Field(number, length, slice);
                default:
                    throw new IllegalStateException("unsupported protobuf wire type in field " + number);
            }
        }

        static long varint(ByteBuffer in) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }
    }

    /** A protobuf message being written. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto int64(int field, long value) {
            varint((long) field << 3);
            varint(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.toByteArray());
        }

        Proto bytes(int field, byte[] value) {
            varint((long) field << 3 | 2);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void varint(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) (value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
