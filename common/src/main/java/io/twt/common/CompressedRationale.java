package io.twt.common;

/** A rationale rewritten for the student, on {@code twt.compressed-rationales}; exactly one per draft. */
public record CompressedRationale(int schemaVersion, int round, String queryId, String teacher, String rationale,
                                  CompressionMethod method, int originalTokens, int compressedTokens)
        implements Validated {

    public String key() {
        return Keys.draft(round, queryId, teacher);
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.nonNegative("round", round);
        Check.text("queryId", queryId);
        Check.text("teacher", teacher);
        Check.text("rationale", rationale);
        Check.present("method", method);
        Check.nonNegative("originalTokens", originalTokens);
        Check.nonNegative("compressedTokens", compressedTokens);
    }
}
