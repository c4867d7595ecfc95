package io.twt.lab.teacher;

import io.twt.common.CompressionPrompt;
import io.twt.common.StudentPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a lab teacher answers the compression request (paper 3.2 stage 2): it rewrites its own rationale to
 * about the length of the student's output, keeping the decisive steps (those with numbers or working)
 * and dropping the talk around them, so that the result still leads to the final answer.
 */
final class Compressor {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.;!?])\\s+|\\n+");
    private static final Pattern FILLER = Pattern.compile("^(?:Step \\d+:\\s*|First, |Then, |Next, |Finally, )", Pattern.CASE_INSENSITIVE);
    private static final Pattern DECISIVE = Pattern.compile("[0-9=<>]|\\breturn\\b|\\bchoice\\b");
    // the student's length with some slack: "roughly the length", and never fewer words than this
    private static final double SLACK = 1.3;
    private static final int MIN_WORDS = 6;
    private static final int SHORT_ANSWER_CHARS = 24;

    private Compressor() {
    }

    static String rewrite(CompressionPrompt.Sections request) {
        int target = Math.max(MIN_WORDS, (int) Math.ceil(words(StudentPrompt.rationaleOf(request.studentOutput())) * SLACK));
        List<String> kept = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(request.originalRationale().strip())) {
            String plain = FILLER.matcher(sentence.strip()).replaceFirst("");
            if (!plain.isEmpty() && DECISIVE.matcher(plain).find()) {
                kept.add(capitalised(plain));
            }
        }
        if (kept.isEmpty()) {
            kept.add(request.originalRationale().strip());
        }
        // the last steps carry the result: drop from the front while too long
        while (kept.size() > 1 && words(String.join(" ", kept)) > target) {
            kept.removeFirst();
        }
        String rewritten = String.join(" ", kept);
        String answer = request.answer().strip();
        if (answer.length() <= SHORT_ANSWER_CHARS && !answer.contains("\n") && !rewritten.contains(answer)) {
            rewritten = rewritten + " That gives " + answer + ".";
        }
        return rewritten;
    }

    static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : (int) Arrays.stream(stripped.split("\\s+")).count();
    }

    private static String capitalised(String sentence) {
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
