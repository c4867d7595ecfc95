package io.twt.common;

/** The stage-k student's own output for a (query, teacher) sample, on {@code twt.student-drafts}. */
public record StudentDraft(int schemaVersion, int round, String queryId, Query query, String teacher,
                           String teacherRationale, String answer, String studentOutput, int studentTokens)
        implements Validated {

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
    }
}
