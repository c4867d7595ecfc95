package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An unlabeled query on {@code twt.queries}.
 *
 * @param choices the options of a multiple-choice query, shown as A, B, C...; required for mcq
 * @param tests   assert statements of a code query (MBPP-shaped); optional
 * @param gold    the right answer where the producer knows it (lab, benchmarks); never shown to a
 *                teacher, used only to measure teachers and DCRS
 * @param purpose distil (also when absent) or eval: an eval query is answered by the teachers for their rows
 *                but never enters G
 * @param redrive absent for a new query; present when the same query is pushed again to re-ask some teachers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Query(int schemaVersion, String id, TaskKind task, String text, List<String> choices,
                    List<String> tests, String source, Instant createdAt, String gold, QueryPurpose purpose,
                    Redrive redrive)
        implements Validated {

    /** A query as it was before re-drives: not one. */
    public Query(int schemaVersion, String id, TaskKind task, String text, List<String> choices, List<String> tests,
                 String source, Instant createdAt, String gold, QueryPurpose purpose) {
        this(schemaVersion, id, task, text, choices, tests, source, createdAt, gold, purpose, null);
    }

    /** The same query, to ask {@code redrive.teachers()} again. */
    public Query withRedrive(Redrive other) {
        return new Query(schemaVersion, id, task, text, choices, tests, source, createdAt, gold, purpose, other);
    }

    /** 0 for a first ask, else the re-drive's number. */
    public int redriveNumber() {
        return redrive == null ? 0 : redrive.number();
    }

    public static Query of(String id, TaskKind task, String text, List<String> choices, List<String> tests,
                           String source, String gold) {
        return new Query(SchemaVersion.CURRENT, id, task, text, choices, tests, source, Instant.now(), gold, null);
    }

    public Query withPurpose(QueryPurpose other) {
        return new Query(schemaVersion, id, task, text, choices, tests, source, createdAt, gold, other, redrive);
    }

    /** Whether this query is for evaluation only: scored for the teachers' rows, kept out of G. */
    public boolean forEvaluation() {
        return purpose == QueryPurpose.EVAL;
    }

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.text("id", id);
        if (id.length() > 200) {
            throw new InvalidRecordException("field 'id' is longer than 200 characters");
        }
        Check.present("task", task);
        Check.text("text", text);
        if (task == TaskKind.MCQ) {
            Check.nonEmpty("choices", choices);
            if (choices.size() < 2 || choices.size() > 26) {
                throw new InvalidRecordException("field 'choices' must hold 2 to 26 options, has " + choices.size());
            }
            for (int i = 0; i < choices.size(); i++) {
                Check.text("choices[" + i + "]", choices.get(i));
            }
        }
        if (tests != null) {
            for (int i = 0; i < tests.size(); i++) {
                Check.text("tests[" + i + "]", tests.get(i));
            }
        }
        Check.optionalText("gold", gold);
        if (redrive != null) {
            redrive.validate();
        }
    }
}
