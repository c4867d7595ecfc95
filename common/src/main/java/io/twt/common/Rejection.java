package io.twt.common;

/** A query DCRS could not use, on {@code twt.rejected-queries}. */
public record Rejection(int schemaVersion, String queryId, Reason reason, String detail) implements Validated {

    public enum Reason { ALL_LOW_CONFIDENCE, ALL_FAILED, DEADLINE }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.text("queryId", queryId);
        Check.present("reason", reason);
    }
}
