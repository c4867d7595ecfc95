package io.twt.gateway.domain;

import io.twt.common.Query;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer in the form the student learns to give (after "#### "): a letter for multiple choice, a bare
 * number for math, the program without its code fence for code. An answer that does not fit the form is
 * kept as the teacher wrote it, so nothing is invented.
 */
public final class AnswerForm {

    // "B", "(b)", "B.", "B) river", "C: shop"; not the article of "A tree"
    private static final Pattern LETTER = Pattern.compile("^(?:\\(?([A-Za-z])\\)?$|\\(([A-Za-z])\\)|([A-Z])[.):])");
    private static final Pattern LETTER_PHRASE = Pattern.compile("(?i)\\b(?:answer|choice|option)\\s*(?:is)?\\s*:?\\s*\\(?([A-Z])\\)?(?![A-Za-z])");
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");
    private static final Pattern FENCED = Pattern.compile("^```[A-Za-z0-9_+-]*\\s*\\n(.*?)\\n?```\\s*$", Pattern.DOTALL);

    private AnswerForm() {
    }

    public static String normalise(Query query, String answer) {
        String text = answer.strip();
        return switch (query.task()) {
            case MCQ -> letter(text, query.choices());
            case MATH -> number(text);
            case CODE -> program(text);
        };
    }

    private static String letter(String text, List<String> choices) {
        int count = choices == null ? 0 : choices.size();
        for (int i = 0; i < count; i++) {
            if (choices.get(i).strip().equalsIgnoreCase(text)) {
                return String.valueOf((char) ('A' + i));
            }
        }
        Matcher leading = LETTER.matcher(text);
        if (leading.find()) {
            String letter = leading.group(1) != null ? leading.group(1) : leading.group(2) != null ? leading.group(2) : leading.group(3);
            if (offered(letter, count)) {
                return letter.toUpperCase(Locale.ROOT);
            }
        }
        Matcher phrase = LETTER_PHRASE.matcher(text);
        if (phrase.find() && offered(phrase.group(1), count)) {
            return phrase.group(1);
        }
        return text;
    }

    private static boolean offered(String letter, int count) {
        int index = Character.toUpperCase(letter.charAt(0)) - 'A';
        return index >= 0 && index < count;
    }

    /** The last number of the answer ("$1,200" -> 1200, "42.0 apples" -> 42); the text itself if it has none. */
    private static String number(String text) {
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        if (last == null) {
            return text;
        }
        BigDecimal value = new BigDecimal(last.replace(",", "")).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
    }

    private static String program(String text) {
        Matcher fenced = FENCED.matcher(text);
        return fenced.matches() ? fenced.group(1).strip() : text;
    }
}
