package io.twt.common;

/** A record that can tell whether it is acceptable; {@link RecordCodec} calls it after parsing. */
public interface Validated {

    /** Throws {@link InvalidRecordException} naming the first field that is wrong. */
    void validate();
}
