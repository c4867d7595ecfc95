package io.twt.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a query is for. Eval queries are answered by the teachers (their rows in Table 1 come from these answers)
 * but never enter the distillation set G, so no student trains on what it is scored on.
 */
public enum QueryPurpose {
    DISTIL("distil"), EVAL("eval");

    private final String wire;

    QueryPurpose(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static QueryPurpose fromWire(String value) {
        for (QueryPurpose purpose : values()) {
            if (purpose.wire.equals(value)) {
                return purpose;
            }
        }
        throw new InvalidRecordException("unknown query purpose '" + value + "' (expected distil or eval)");
    }
}
