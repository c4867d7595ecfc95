package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One teacher's answer to one query on {@code twt.teacher-outputs}; failures are records too.
 *
 * @param teacherCount how many teachers were asked for this query, so the sampler knows when all reported
 * @param confidence   c = sum of w_j * m_j over the task's factors (paper 3.1.1), in [0, 1]
 * @param rationale    for UNPARSEABLE, the raw text the teacher sent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeacherOutput(int schemaVersion, String queryId, Query query, String teacher, int teacherCount,
                            TeacherStatus status, String rationale, String answer, Map<String, Double> factors,
                            double confidence, Usage usage, long latencyMs, int attempts, String error)
        implements Validated {

    public boolean kept(double threshold) {
        return status == TeacherStatus.OK && confidence >= threshold;
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.text("queryId", queryId);
        Check.present("query", query);
        query.validate();
        Check.text("teacher", teacher);
        if (teacherCount < 1) {
            throw new InvalidRecordException("field 'teacherCount' must be at least 1: " + teacherCount);
        }
        Check.present("status", status);
        Check.unit("confidence", confidence);
        if (status == TeacherStatus.OK) {
            Check.text("rationale", rationale);
            Check.text("answer", answer);
        } else {
            Check.optionalText("rationale", rationale);
            Check.optionalText("answer", answer);
        }
        Check.nonNegative("latencyMs", latencyMs);
        Check.nonNegative("attempts", attempts);
    }
}
