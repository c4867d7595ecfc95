package io.twt.common;

import java.util.List;

/**
 * The Teacher-Guided Compression request (paper 3.2 stage 2, appendix B.4): the teacher sees its own
 * rationale and the stage-1 student's output and rewrites the rationale to fit the student. Its section
 * headings are the contract the lab teachers recognise the request by.
 */
public final class CompressionPrompt {

    public static final String SYSTEM = "You rewrite your own reasoning so that a much smaller student model can learn it.";
    public static final String ORIGINAL = "### Original rationale";
    public static final String STUDENT = "### Student output";
    public static final String ANSWER = "### Final answer";
    public static final String TASK = "### Question";

    private CompressionPrompt() {
    }

    public static List<ChatMessage> messages(Query query, String teacherRationale, String studentOutput, String answer) {
        String user = """
                Rewrite the original rationale for the student. Match the student's length and style, keep
                only the steps that decide the answer, and end with the same final answer. Reply with the
                rewritten rationale only, without the final answer line.

                %s
                %s

                %s
                %s

                %s
                %s

                %s
                %s
                """.formatted(TASK, query.text().strip(), ORIGINAL, teacherRationale.strip(),
                STUDENT, studentOutput.strip(), ANSWER, answer.strip());
        return List.of(ChatMessage.system(SYSTEM), ChatMessage.user(user));
    }

    /** Reads the sections back out of a compression request; null when the text is not one. */
    public static Sections parse(String userMessage) {
        int task = userMessage.indexOf(TASK);
        int original = userMessage.indexOf(ORIGINAL);
        int student = userMessage.indexOf(STUDENT);
        int answer = userMessage.indexOf(ANSWER);
        if (task < 0 || original < task || student < original || answer < student) {
            return null;
        }
        return new Sections(
                userMessage.substring(task + TASK.length(), original).strip(),
                userMessage.substring(original + ORIGINAL.length(), student).strip(),
                userMessage.substring(student + STUDENT.length(), answer).strip(),
                userMessage.substring(answer + ANSWER.length()).strip());
    }

    public record Sections(String question, String originalRationale, String studentOutput, String answer) {
    }
}
