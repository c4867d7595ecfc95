package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One teacher's answer to one query on {@code twt.teacher-outputs}; failures are records too.
 *
 * @param teacherCount how many teachers were asked for this query, so the sampler knows when all reported
 * @param confidence   c = sum of w_j * m_j over the task's factors (paper 3.1.1), in [0, 1]
 * @param rationale    for UNPARSEABLE, the raw text the teacher sent
 * @param reasoning    reasoning text the provider returned apart from the reply ({@code reasoning_content} of
 *                     vLLM and DeepSeek, {@code reasoning} of newer vLLM and OpenRouter); null when none. It is
 *                     not the rationale: the rationale is what the teacher wrote for the student
 * @param redrive      0 for the first ask; n for the n-th re-drive of this query ({@code ./twt redrive}), whose
 *                     outputs replace the earlier ones of the same teacher. Records written before re-drives
 *                     existed read as 0
 * @param meanLogprob  mean log-probability of the reply's tokens, where the teacher was asked for {@code logprobs}
 *                     and returned them (the log-probability selection of paper table 5); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeacherOutput(int schemaVersion, String queryId, Query query, String teacher, int teacherCount,
                            TeacherStatus status, String rationale, String answer, Map<String, Double> factors,
                            double confidence, Usage usage, long latencyMs, int attempts, String error,
                            String reasoning, Integer redrive, Double meanLogprob)
        implements Validated {

    public TeacherOutput {
        // an Integer so that a record without the field reads as the first ask, not as a missing primitive
        redrive = redrive == null ? Integer.valueOf(0) : redrive;
    }

    /** A first ask without separate reasoning text: the shape every record had before re-drives. */
    public TeacherOutput(int schemaVersion, String queryId, Query query, String teacher, int teacherCount,
                         TeacherStatus status, String rationale, String answer, Map<String, Double> factors,
                         double confidence, Usage usage, long latencyMs, int attempts, String error) {
        this(schemaVersion, queryId, query, teacher, teacherCount, status, rationale, answer, factors, confidence, usage,
                latencyMs, attempts, error, null, 0, null);
    }

    /** An output without token log-probabilities. */
    public TeacherOutput(int schemaVersion, String queryId, Query query, String teacher, int teacherCount,
                         TeacherStatus status, String rationale, String answer, Map<String, Double> factors,
                         double confidence, Usage usage, long latencyMs, int attempts, String error, String reasoning,
                         Integer redrive) {
        this(schemaVersion, queryId, query, teacher, teacherCount, status, rationale, answer, factors, confidence, usage,
                latencyMs, attempts, error, reasoning, redrive, null);
    }

    public TeacherOutput withRedrive(int number) {
        return new TeacherOutput(schemaVersion, queryId, query, teacher, teacherCount, status, rationale, answer, factors,
                confidence, usage, latencyMs, attempts, error, reasoning, number, meanLogprob);
    }

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
        Check.optionalText("reasoning", reasoning);
        Check.nonNegative("redrive", redrive);
        if (meanLogprob != null && !(meanLogprob <= 0)) {
            throw new InvalidRecordException("field 'meanLogprob' must be a log-probability (<= 0): " + meanLogprob);
        }
    }
}
