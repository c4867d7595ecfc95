package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The stage-k student's own output for a (query, teacher) sample, on {@code twt.student-drafts}.
 *
 * @param compression how this draft's rationale is to be compressed (a recipe of paper table 6): teacher-guided,
 *                    fixed-length (cut to the student's own output length, no teacher) or compressor (rewritten by
 *                    {@code compressor}, a teacher that did not write it); null: compression-service's configured method
 * @param compressor  the teacher asked to rewrite the rationale for method compressor; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudentDraft(int schemaVersion, int round, String queryId, Query query, String teacher,
                           String teacherRationale, String answer, String studentOutput, int studentTokens,
                           CompressionMethod compression, String compressor)
        implements Validated {

    /** A draft compressed by compression-service's configured method. */
    public StudentDraft(int schemaVersion, int round, String queryId, Query query, String teacher, String teacherRationale,
                        String answer, String studentOutput, int studentTokens) {
        this(schemaVersion, round, queryId, query, teacher, teacherRationale, answer, studentOutput, studentTokens, null, null);
    }

    public String key() {
        return Keys.draft(round, queryId, teacher);
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.nonNegative("round", round);
        Check.text("queryId", queryId);
        Check.present("query", query);
        query.validate();
        Check.text("teacher", teacher);
        Check.text("teacherRationale", teacherRationale);
        Check.text("answer", answer);
        Check.present("studentOutput", studentOutput);
        Check.optionalText("studentOutput", studentOutput);
        Check.nonNegative("studentTokens", studentTokens);
        if (compression == CompressionMethod.COMPRESSOR) {
            Check.text("compressor", compressor);
        } else if (compression == CompressionMethod.FALLBACK_ORIGINAL || compression == CompressionMethod.NONE) {
            throw new InvalidRecordException("field 'compression' must be teacher-guided, fixed-length or compressor, not "
                    + compression.wire());
        }
    }
}
