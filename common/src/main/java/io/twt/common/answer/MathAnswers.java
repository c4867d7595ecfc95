package io.twt.common.answer;

import io.twt.common.StudentPrompt;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Final answers of math outputs, following lm-evaluation-harness's GSM8K filters: the number after
 * "#### " (strict match), else after "The answer is", else a \boxed{} answer, else the last number
 * in the text (flexible extract). Numbers compare by value: "1,000", "$1000.00" and "1000" agree.
 */
public final class MathAnswers {

    // "1,234.5", "1234", "-.5", "3/4"; a thousands group needs exactly three digits so "1,2" is two numbers
    private static final String NUMBER = "-?\\$?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:\\s*/\\s*\\d+)?|-?\\.\\d+";
    private static final Pattern NUMBER_PATTERN = Pattern.compile(NUMBER);
    private static final Pattern ANSWER_IS = Pattern.compile("(?i)answer\\s*(?:is|=|:)\\s*:?\\s*");
    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\s*\\{");
    // "\frac{3}{4}", "-\dfrac{1}{2}", "\tfrac34": a LaTeX fraction, compared by its value like "3/4"
    private static final Pattern LATEX_FRACTION =
            Pattern.compile("(-?)\\\\[dt]?frac\\s*\\{?\\s*(-?\\d+)\\s*\\}?\\s*\\{?\\s*(\\d+)\\s*\\}?");
    private static final String MARK = StudentPrompt.ANSWER_MARK.strip();

    private MathAnswers() {
    }

    /**
     * The answer an output commits to, as written (not normalised): what follows the first answer mark
     * (the model's first commitment; tiny models sometimes ramble on past it), else the last "answer is",
     * else the last \boxed{}, else the last number. Null when the output holds none of these.
     */
    public static String extract(String output) {
        if (output == null || output.isBlank()) {
            return null;
        }
        int mark = output.indexOf(MARK);
        if (mark >= 0) {
            String answer = firstLine(output.substring(mark + MARK.length()));
            if (!answer.isEmpty()) {
                return answer;
            }
        }
        Matcher answerIs = ANSWER_IS.matcher(output);
        int answerStart = -1;
        while (answerIs.find()) {
            answerStart = answerIs.end();
        }
        if (answerStart >= 0) {
            String answer = trimSentenceEnd(firstLine(output.substring(answerStart)));
            if (!answer.isEmpty()) {
                return answer;
            }
        }
        String boxed = lastBoxed(output);
        if (boxed != null) {
            return boxed;
        }
        return lastNumber(output);
    }

    /** The value of an extracted answer when it is a number ("$1,000.50", "3/4", "42%"), else null. */
    public static BigDecimal numberIn(String answer) {
        if (answer == null) {
            return null;
        }
        Matcher number = NUMBER_PATTERN.matcher(answer);
        if (!number.find()) {
            return null;
        }
        return parse(number.group());
    }

    /**
     * Whether an output's answer equals the gold answer: by numeric value when either is a number, else by
     * the answer text with LaTeX spacing and dollar signs removed ("\frac{1}{2}", "(2,3)").
     */
    public static boolean matches(String output, String gold) {
        return same(extract(output), goldAnswer(gold));
    }

    /**
     * The answer of a gold label: labels that carry a worked solution (GSM8K's "... #### 72", MetaMathQA's
     * "... The answer is: 72") are extracted like outputs; a bare label ("72", "\frac{1}{2}") is taken whole.
     */
    public static String goldAnswer(String gold) {
        if (gold == null) {
            return null;
        }
        boolean worked = gold.contains(MARK) || ANSWER_IS.matcher(gold).find();
        return worked ? extract(gold) : gold.strip();
    }

    /** Whether two extracted answers are the same answer. */
    public static boolean same(String answer, String other) {
        if (answer == null || other == null) {
            return false;
        }
        BigDecimal whole = wholeNumber(answer);
        BigDecimal otherWhole = wholeNumber(other);
        if (whole != null || otherWhole != null) {
            // one side is a bare number: the other counts when its first number has that value ("42 apples")
            BigDecimal value = whole != null ? whole : numberIn(answer);
            BigDecimal otherValue = otherWhole != null ? otherWhole : numberIn(other);
            return value != null && otherValue != null && value.compareTo(otherValue) == 0;
        }
        return normaliseText(answer).equals(normaliseText(other));
    }

    /** A canonical spelling of a numeric answer ("1,000.0" -> "1000"), or the trimmed text when not numeric. */
    public static String canonical(String answer) {
        if (answer == null) {
            return null;
        }
        BigDecimal number = wholeNumber(answer);
        return number != null ? number.stripTrailingZeros().toPlainString() : normaliseText(answer);
    }

    private static BigDecimal wholeNumber(String text) {
        String trimmed = trimSentenceEnd(text.strip());
        String boxed = lastBoxed(trimmed);
        if (boxed != null && trimmed.startsWith("\\boxed")) {
            trimmed = boxed;
        }
        Matcher fraction = LATEX_FRACTION.matcher(trimmed.replace("$", ""));
        if (fraction.matches()) {
            return parse(fraction.group(1) + fraction.group(2) + "/" + fraction.group(3));
        }
        if (trimmed.endsWith("%")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        Matcher number = NUMBER_PATTERN.matcher(trimmed);
        return number.matches() ? parse(trimmed) : null;
    }

    private static BigDecimal parse(String number) {
        String plain = number.replace("$", "").replace(",", "").replaceAll("\\s", "");
        int slash = plain.indexOf('/');
        if (slash >= 0) {
            BigDecimal denominator = new BigDecimal(plain.substring(slash + 1));
            if (denominator.signum() == 0) {
                return null;
            }
            return new BigDecimal(plain.substring(0, slash)).divide(denominator, MathContext.DECIMAL64);
        }
        return new BigDecimal(plain);
    }

    private static String lastNumber(String text) {
        Matcher number = NUMBER_PATTERN.matcher(text);
        String last = null;
        while (number.find()) {
            last = number.group();
        }
        return last;
    }

    private static String lastBoxed(String text) {
        Matcher boxed = BOXED.matcher(text);
        int start = -1;
        while (boxed.find()) {
            start = boxed.end();
        }
        if (start < 0) {
            return null;
        }
        int depth = 1;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(start, i).strip();
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return (newline < 0 ? stripped : stripped.substring(0, newline)).strip();
    }

    private static String trimSentenceEnd(String text) {
        String trimmed = text.strip();
        while (!trimmed.isEmpty() && ".;,!".indexOf(trimmed.charAt(trimmed.length() - 1)) >= 0) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }

    private static String normaliseText(String answer) {
        String text = trimSentenceEnd(answer);
        String boxed = lastBoxed(text);
        if (boxed != null) {
            text = boxed;
        }
        return text.replace("\\left", "").replace("\\right", "").replace("\\!", "").replace("dfrac", "frac")
                .replace("tfrac", "frac").replace("$", "").replaceAll("\\s+", "").toLowerCase();
    }
}
