package io.twt.common.answer;

import io.twt.common.StudentPrompt;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chosen letter of multiple-choice outputs. Rules, first that applies: the letter after the first
 * answer mark ("#### B", "#### (B) bank"); the letter of an "answer is B", "the answer is: D. text", "option C"
 * phrase (last one); a letter opening the output ("B.", "(B)", "B" alone, "A is correct because ..."); the text
 * of exactly one choice. A letter counts only when
 * it names an offered choice, and an article ("A dog ...") is not a letter.
 */
public final class ChoiceAnswers {

    private static final String MARK = StudentPrompt.ANSWER_MARK.strip();
    // a letter standing alone: "(B) ...", "B.", "B)", "B:", "B" ending its line, but not the "A" of "A dog"
    private static final Pattern LEADING_LETTER =
            Pattern.compile("^[\\s*]*(?:\\(([A-Za-z])\\)|([A-Za-z])(?=[.:)]|[ \\t]*(?:\\n|$)))");
    // "A is correct because ...", "(C) is the right one", "B would be the best answer": a letter then a verdict
    private static final Pattern LETTER_CALLED_RIGHT = Pattern.compile(
            "^[\\s*]*\\(?([A-Z])\\)?\\s+(?:is|would be|seems|looks)\\s+(?:[a-z]+\\s+){0,2}(?:correct|right|best|answer)\\b");
    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?i)(?:answer|choice|option)\\s*(?:is|:|=)?\\s*:?\\s*(?:option\\s+)?\\(?([A-Z])\\)?(?![A-Za-z])");

    private ChoiceAnswers() {
    }

    /** The upper-case letter an output chose among {@code choices}, or null when it chose none. */
    public static String extract(String output, List<String> choices) {
        if (output == null || output.isBlank() || choices == null || choices.isEmpty()) {
            return null;
        }
        int count = choices.size();
        int mark = output.indexOf(MARK);
        if (mark >= 0) {
            String segment = output.substring(mark + MARK.length()).strip();
            String letter = leadingLetter(segment, count);
            if (letter == null) {
                letter = choiceText(firstLine(segment), choices);
            }
            if (letter != null) {
                return letter;
            }
        }
        Matcher answerIs = ANSWER_IS.matcher(output);
        String phrased = null;
        while (answerIs.find()) {
            String letter = answerIs.group(1);
            if (offered(letter, count)) {
                phrased = letter;
            }
        }
        if (phrased != null) {
            return phrased;
        }
        String leading = leadingLetter(output, count);
        if (leading != null) {
            return leading;
        }
        Matcher calledRight = LETTER_CALLED_RIGHT.matcher(output);
        if (calledRight.find() && offered(calledRight.group(1), count)) {
            return calledRight.group(1);
        }
        return choiceText(output.strip(), choices);
    }

    /**
     * The gold letter of a query: the gold itself when it is a letter ("c" reads as "C"), else the letter
     * of the choice whose text it is; null when it is neither.
     */
    public static String goldLetter(String gold, List<String> choices) {
        if (gold == null || choices == null) {
            return null;
        }
        String trimmed = gold.strip();
        if (trimmed.length() == 1 && offered(trimmed.toUpperCase(Locale.ROOT), choices.size())) {
            return trimmed.toUpperCase(Locale.ROOT);
        }
        return choiceText(trimmed, choices);
    }

    /** Whether an output chose the gold answer. */
    public static boolean matches(String output, List<String> choices, String gold) {
        String expected = goldLetter(gold, choices);
        return expected != null && expected.equals(extract(output, choices));
    }

    private static String leadingLetter(String text, int count) {
        Matcher leading = LEADING_LETTER.matcher(text);
        if (!leading.find()) {
            return null;
        }
        String letter = leading.group(1) != null ? leading.group(1) : leading.group(2);
        // a lower-case letter alone is a choice only when it is the whole answer ("b"), not a word ("a dog")
        if (Character.isLowerCase(letter.charAt(0)) && !text.strip().replaceAll("[().:\\s]", "").equals(letter)) {
            return null;
        }
        String upper = letter.toUpperCase(Locale.ROOT);
        return offered(upper, count) ? upper : null;
    }

    private static String choiceText(String text, List<String> choices) {
        String wanted = comparable(text);
        if (wanted.isEmpty()) {
            return null;
        }
        String found = null;
        for (int i = 0; i < choices.size(); i++) {
            String choice = comparable(choices.get(i));
            if (!choice.isEmpty() && (wanted.equals(choice) || containsWord(wanted, choice))) {
                if (found != null) {
                    return null;
                }
                found = String.valueOf((char) ('A' + i));
            }
        }
        return found;
    }

    private static boolean containsWord(String text, String phrase) {
        return (" " + text + " ").contains(" " + phrase + " ");
    }

    private static String comparable(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", " ").replaceAll("\\s+", " ").strip();
    }

    private static boolean offered(String letter, int count) {
        char c = letter.charAt(0);
        return c >= 'A' && c < 'A' + count;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
