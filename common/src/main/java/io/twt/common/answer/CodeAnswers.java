package io.twt.common.answer;

import io.twt.common.StudentPrompt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The program of code outputs: the first fenced block (```python ... ```) after the answer mark, else
 * the text after the first answer mark, else the first fenced block anywhere, else the whole output.
 */
public final class CodeAnswers {

    private static final String MARK = StudentPrompt.ANSWER_MARK.strip();
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_+-]*[ \\t]*\\n(.*?)(?:```|\\z)", Pattern.DOTALL);

    private CodeAnswers() {
    }

    /** The program an output gives, or null for an empty output. */
    public static String extract(String output) {
        if (output == null || output.isBlank()) {
            return null;
        }
        int mark = output.indexOf(MARK);
        String answer = mark >= 0 ? output.substring(mark + MARK.length()) : output;
        Matcher fence = FENCE.matcher(answer);
        if (fence.find()) {
            return fence.group(1).stripTrailing();
        }
        return answer.strip().isEmpty() ? null : stripIndentOfFirstLine(answer);
    }

    /** Whether two programs are the same up to trailing spaces and blank lines (not semantic equality). */
    public static boolean same(String program, String other) {
        return program != null && other != null && layoutFree(program).equals(layoutFree(other));
    }

    private static String stripIndentOfFirstLine(String answer) {
        // "#### def f():" leaves a leading space on the first line only, which Python would reject
        String trimmed = answer.replaceFirst("^[ \\t]*\\n", "");
        int newline = trimmed.indexOf('\n');
        String first = newline < 0 ? trimmed : trimmed.substring(0, newline);
        return (first.strip() + (newline < 0 ? "" : trimmed.substring(newline))).stripTrailing();
    }

    private static String layoutFree(String program) {
        return program.lines().map(String::stripTrailing).filter(line -> !line.isBlank())
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
