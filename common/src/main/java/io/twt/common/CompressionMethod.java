package io.twt.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a compressed rationale was made (paper table 6). */
public enum CompressionMethod {
    TEACHER_GUIDED("teacher-guided"), FALLBACK_ORIGINAL("fallback-original"), FIXED_LENGTH("fixed-length"), NONE("none");

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
