package io.twt.lm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped reader of one {@code .safetensors} file (format: u64 little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}}, then the raw little-endian data). Tensors are mapped one region at a time,
 * so files past 2 GB read fine; a tensor past 1 GB is read in row chunks and joined in libtorch. Every tensor comes
 * out as float32: F16 through libtorch, BF16 widened in Java (DJL's JNI aborts on bf16 arrays).
 */
public final class SafetensorsFile implements AutoCloseable {

    /** One entry of the header; offsets are relative to the start of the data section. */
    public record TensorInfo(String name, String dtype, long[] shape, long begin, long end) {

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CHUNK_BYTES = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > 100_000_000L || 8 + headerLength > channel.size()) {
                channel.close();
                throw new IllegalArgumentException(path + " is not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode root = JSON.readTree(header.array());
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            long dataLength = channel.size() - 8 - headerLength;
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("__metadata__")) {
                    field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = field.getValue();
                long[] shape = new long[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.get("shape").get(i).asLong();
                }
                TensorInfo info = new TensorInfo(field.getKey(), t.get("dtype").asText(), shape,
                        t.get("data_offsets").get(0).asLong(), t.get("data_offsets").get(1).asLong());
                if (info.end() > dataLength || info.end() - info.begin() != info.elements() * bytesPerElement(info)) {
                    channel.close();
                    throw new IllegalArgumentException(path + ": tensor " + info.name() + " has inconsistent offsets");
                }
                tensors.put(info.name(), info);
            }
            return new SafetensorsFile(path, channel, 8 + headerLength, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(path + " has no tensor " + name);
        }
        return info;
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** The tensor as a float32 array owned by libtorch, attached to manager. */
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        long rows = info.shape().length == 0 ? 1 : info.shape()[0];
        long rowElements = rows == 0 ? 0 : info.elements() / rows;
        long rowBytesOut = Math.max(1, rowElements * 4);
        long rowsPerChunk = Math.max(1, CHUNK_BYTES / rowBytesOut);
        if (rows <= rowsPerChunk) {
            try (NDArray flat = loadRows(info, 0, rows, manager)) {
                return flat.reshape(new Shape(info.shape()));
            }
        }
        NDList chunks = new NDList();
        for (long row = 0; row < rows; row += rowsPerChunk) {
            chunks.add(loadRows(info, row, Math.min(rows, row + rowsPerChunk), manager));
        }
        try (NDArray joined = NDArrays.concat(chunks, 0)) {
            chunks.close();
            return joined.reshape(new Shape(info.shape()));
        }
    }

    /** Rows [from, to) of the tensor's first dimension, flattened, as float32. */
    private NDArray loadRows(TensorInfo info, long from, long to, NDManager manager) {
        long rows = info.shape().length == 0 ? 1 : info.shape()[0];
        long rowElements = rows == 0 ? 0 : info.elements() / rows;
        int width = bytesPerElement(info);
        long elements = (to - from) * rowElements;
        Shape flat = new Shape(elements);
        if (elements == 0) {
            return manager.zeros(flat, DataType.FLOAT32);
        }
        MappedByteBuffer mapped = map(info.begin() + from * rowElements * width, elements * width);
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        switch (info.dtype()) {
            case "F32", "F16" -> {
                DataType type = info.dtype().equals("F32") ? DataType.FLOAT32 : DataType.FLOAT16;
                // the view reads the mapping in place; the copy (clone or cast) is owned by libtorch
                try (NDArray view = manager.create(mapped, flat, type)) {
                    return type == DataType.FLOAT32 ? view.duplicate() : view.toType(DataType.FLOAT32, true);
                }
            }
            case "BF16" -> {
                ByteBuffer widened = ByteBuffer.allocateDirect(Math.toIntExact(elements * 4)).order(ByteOrder.nativeOrder());
                for (long i = 0; i < elements; i++) {
                    // bfloat16 is the upper half of a float32
                    widened.putInt((mapped.getShort() & 0xFFFF) << 16);
                }
                widened.flip();
                try (NDArray view = manager.create(widened, flat, DataType.FLOAT32)) {
                    return view.duplicate();
                }
            }
            default -> throw new IllegalArgumentException(path + ": tensor " + info.name() + " has dtype "
                    + info.dtype() + "; supported are F32, F16, BF16");
        }
    }

    private MappedByteBuffer map(long offset, long length) {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + path, e);
        }
    }

    private static int bytesPerElement(TensorInfo info) {
        return switch (info.dtype()) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> throw new IllegalArgumentException("tensor " + info.name() + " has unknown dtype " + info.dtype());
        };
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
