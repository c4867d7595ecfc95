package io.twt.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON (de)serialisation of one record type; decoding validates and fails only with {@link InvalidRecordException}. */
public final class RecordCodec<T extends Validated> {

    private final Class<T> type;

    private RecordCodec(Class<T> type) {
        this.type = type;
    }

    public static <T extends Validated> RecordCodec<T> of(Class<T> type) {
        return new RecordCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRecordException("empty record: no JSON value");
        }
        return decode(new String(bytes, StandardCharsets.UTF_8));
    }

    public T decode(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidRecordException("empty record: no JSON value");
        }
        T value;
        try {
            value = Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw translate(e);
        }
        if (value == null) {
            throw new InvalidRecordException("record is JSON null");
        }
        value.validate();
        return value;
    }

    public byte[] encode(T value) {
        return encodeString(value).getBytes(StandardCharsets.UTF_8);
    }

    public String encodeString(T value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private InvalidRecordException translate(JsonProcessingException e) {
        if (rootCause(e) instanceof InvalidRecordException invalid) {
            return invalid;
        }
        if (e instanceof ValueInstantiationException) {
            return new InvalidRecordException("cannot build " + type.getSimpleName() + ": " + rootCause(e).getMessage(), e);
        }
        if (e instanceof InvalidFormatException format) {
            return new InvalidRecordException("wrong type for field '" + path(format) + "': " + e.getOriginalMessage(), e);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            if (e.getOriginalMessage().startsWith("Cannot map `null`")) {
                return new InvalidRecordException("missing field '" + field + "'", e);
            }
            return new InvalidRecordException(field.isEmpty()
                    ? "not a JSON object for " + type.getSimpleName() + ": " + e.getOriginalMessage()
                    : "missing or wrong-typed field '" + field + "': " + e.getOriginalMessage(), e);
        }
        return new InvalidRecordException("invalid JSON: " + e.getOriginalMessage(), e);
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
