package io.twt.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a compressed rationale was made (paper table 6): by the rationale's own teacher for this student, kept as it
 * was after failed rewrites, cut to a length, left alone, or rewritten by a compressor (a teacher that did not write it).
 */
public enum CompressionMethod {
    TEACHER_GUIDED("teacher-guided"), FALLBACK_ORIGINAL("fallback-original"), FIXED_LENGTH("fixed-length"), NONE("none"),
    COMPRESSOR("compressor");

    private final String wire;

    CompressionMethod(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static CompressionMethod fromWire(String value) {
        for (CompressionMethod method : values()) {
            if (method.wire.equals(value)) {
                return method;
            }
        }
        throw new InvalidRecordException("unknown compression method '" + value + "'");
    }
}
