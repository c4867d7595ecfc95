package io.twt.common;

import java.util.Collection;

/** Field checks shared by the records' {@code validate()} methods; each names the field it rejects. */
public final class Check {

    /** Texts beyond this are refused rather than silently cut: a query or rationale this long is a bug upstream. */
    public static final int MAX_TEXT_CHARS = 100_000;

    private Check() {
    }

    public static void schemaVersion(int version) {
        if (version == 0) {
            throw new InvalidRecordException("missing field 'schemaVersion'");
        }
        if (version < 1 || version > SchemaVersion.CURRENT) {
            throw new InvalidRecordException("schemaVersion " + version + " is not supported (1.." + SchemaVersion.CURRENT + ")");
        }
    }

    public static void present(String field, Object value) {
        if (value == null) {
            throw new InvalidRecordException("missing field '" + field + "'");
        }
    }

    public static void text(String field, String value) {
        present(field, value);
        if (value.isBlank()) {
            throw new InvalidRecordException("field '" + field + "' is empty");
        }
        if (value.length() > MAX_TEXT_CHARS) {
            throw new InvalidRecordException("field '" + field + "' has " + value.length()
                    + " characters, more than the limit of " + MAX_TEXT_CHARS);
        }
    }

    /** Text that may be empty (a failed teacher has no rationale) but not oversized. */
    public static void optionalText(String field, String value) {
        if (value != null && value.length() > MAX_TEXT_CHARS) {
            throw new InvalidRecordException("field '" + field + "' has " + value.length()
                    + " characters, more than the limit of " + MAX_TEXT_CHARS);
        }
    }

    public static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidRecordException("field '" + field + "' is negative: " + value);
        }
    }

    public static void unit(String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new InvalidRecordException("field '" + field + "' must be in [0, 1]: " + value);
        }
    }

    public static void nonEmpty(String field, Collection<?> values) {
        present(field, values);
        if (values.isEmpty()) {
            throw new InvalidRecordException("field '" + field + "' is empty");
        }
    }
}
