package io.twt.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The three task kinds of the paper: code (MBPP), multiple choice (CQA), math (GSM8K, MetaMath). */
public enum TaskKind {
    CODE("code"), MCQ("mcq"), MATH("math");

    private final String wire;

    TaskKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static TaskKind fromWire(String value) {
        for (TaskKind kind : values()) {
            if (kind.wire.equals(value)) {
                return kind;
            }
        }
        throw new InvalidRecordException("unknown task kind '" + value + "' (expected code, mcq or math)");
    }
}
