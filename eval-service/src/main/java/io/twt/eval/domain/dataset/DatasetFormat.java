package io.twt.eval.domain.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.TaskKind;
import java.util.Locale;

/** The benchmark file formats eval reads, and how to tell them apart from a file's first line. */
public enum DatasetFormat {
    /**
     * MBPP: the full release (JSONL of task_id, text, code, test_list, test_setup_code, challenge_test_list) or the
     * sanitized one (a JSON array of task_id, prompt, code, test_imports, test_list).
     */
    MBPP(TaskKind.CODE),
    /** CommonsenseQA JSONL: answerKey, question.stem and question.choices[{label, text}] (or HF's flat columns). */
    CSQA(TaskKind.MCQ),
    /** GSM8K JSONL: question, answer ending "#### n". */
    GSM8K(TaskKind.MATH),
    /** MetaMathQA JSON array (or JSONL) of {query, response ending "The answer is: x", type}. */
    METAMATH(TaskKind.MATH),
    /** twt's own Query records, one per line, with gold (what the lab writes and {@code twt push} reads). */
    QUERIES(null);

    private final TaskKind task;

    DatasetFormat(TaskKind task) {
        this.task = task;
    }

    /** The task kind every example of this format has; null for QUERIES, whose lines say it. */
    public TaskKind task() {
        return task;
    }

    public static DatasetFormat fromName(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dataset format '" + name + "' (mbpp, csqa, gsm8k, metamath, queries)");
        }
    }

    /** Detects the format from a file's first record (its first line, or the first element of its array). */
    public static DatasetFormat detect(JsonNode first) {
        if (first == null || !first.isObject()) {
            throw new IllegalArgumentException("cannot detect the dataset format: the first record is not a JSON object;"
                    + " pass --format");
        }
        if (first.has("test_list")) {
            return MBPP;
        }
        if (first.has("answerKey")) {
            return CSQA;
        }
        if (first.has("query") && first.has("response")) {
            return METAMATH;
        }
        if (first.has("question") && first.has("answer")) {
            return GSM8K;
        }
        if (first.has("task") && first.has("text") && first.has("schemaVersion")) {
            return QUERIES;
        }
        throw new IllegalArgumentException("cannot detect the dataset format from the fields " + fieldNames(first)
                + "; pass --format");
    }

    private static String fieldNames(JsonNode node) {
        StringBuilder names = new StringBuilder();
        node.fieldNames().forEachRemaining(name -> names.append(names.isEmpty() ? "" : ", ").append(name));
        return "[" + names + "]";
    }
}
