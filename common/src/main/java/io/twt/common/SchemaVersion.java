package io.twt.common;

/** Version written into every record; readers accept 1..CURRENT. */
public final class SchemaVersion {
    public static final int CURRENT = 1;

    private SchemaVersion() {
    }
}
