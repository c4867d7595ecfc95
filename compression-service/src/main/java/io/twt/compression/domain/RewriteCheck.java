package io.twt.compression.domain;

import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a teacher's rewrite may replace the original rationale: it must be non-empty, use fewer
 * student tokens than the original, and not contradict the final answer. "Contradict" is defined on the
 * rewrite's explicit answer claims: a line starting with the answer mark ({@code ####}), or a phrase
 * "answer is ...", "answer: ...", "final answer ...". For math a claim is its first number (compared as a
 * number), for multiple choice its leading choice letter; a claim with neither is not a claim. For code only
 * answer-mark lines are claims, compared with whitespace collapsed, since "the answer is to loop" is prose.
 * A rewrite may end with an answer-mark line (and, for code, the lines after it); that is cut off, since the
 * training target appends its own.
 */
public final class RewriteCheck {

    public enum Rejection { EMPTY, NOT_SHORTER, CONTRADICTS_ANSWER }

    /** Accepted: {@code rationale} is the cleaned rewrite and {@code rejection} null; otherwise the reverse. */
    public record Verdict(String rationale, int tokens, Rejection rejection, String detail) {
        public boolean accepted() {
            return rejection == null;
        }
    }

    private static final Pattern PHRASE_CLAIM = Pattern.compile(
            "(?i)(?:final answer|answer is|answer\\s*:)\\s*(?:is\\s*)?:?\\s*(.+)$");
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");
    private static final Pattern CHOICE = Pattern.compile("^\\(?([A-Z])\\)?(?=[.):,\\s]|$)");
    private static final String MARK = StudentPrompt.ANSWER_MARK.strip();

    private final TokenCounter counter;

    public RewriteCheck(TokenCounter counter) {
        this.counter = counter;
    }

    public Verdict judge(String rewrite, String original, String answer, TaskKind task) {
        String cleaned = withoutTrailingAnswerMark(rewrite == null ? "" : rewrite.strip());
        if (cleaned.isBlank()) {
            return new Verdict(null, 0, Rejection.EMPTY, "the rewrite has no rationale text");
        }
        for (String claim : claims(rewrite.strip(), task)) {
            if (contradicts(claim, answer, task)) {
                return new Verdict(null, 0, Rejection.CONTRADICTS_ANSWER,
                        "the rewrite claims '" + claim + "' but the answer is '" + answer.strip() + "'");
            }
        }
        int tokens = counter.count(cleaned);
        int originalTokens = counter.count(original);
        if (tokens >= originalTokens) {
            return new Verdict(null, tokens, Rejection.NOT_SHORTER,
                    "the rewrite has " + tokens + " tokens, the original " + originalTokens);
        }
        return new Verdict(cleaned, tokens, null, null);
    }

    /** Cuts the last answer-mark line and whatever follows it (a multi-line code answer). */
    private static String withoutTrailingAnswerMark(String text) {
        int start = -1;
        int offset = 0;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith(MARK)) {
                start = offset;
            }
            offset += line.length() + 1;
        }
        return start < 0 ? text : text.substring(0, start).strip();
    }

    /** Answer claims in the text; an answer-mark claim runs to the next answer mark, so code answers stay whole. */
    static List<String> claims(String text, TaskKind task) {
        List<String> claims = new ArrayList<>();
        StringBuilder markClaim = null;
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (stripped.startsWith(MARK)) {
                if (markClaim != null) {
                    claims.add(markClaim.toString().strip());
                }
                markClaim = new StringBuilder(stripped.substring(MARK.length()));
            } else if (markClaim != null) {
                markClaim.append('\n').append(line);
            } else if (task != TaskKind.CODE) {
                Matcher phrase = PHRASE_CLAIM.matcher(stripped);
                if (phrase.find()) {
                    claims.add(phrase.group(1).strip());
                }
            }
        }
        if (markClaim != null) {
            claims.add(markClaim.toString().strip());
        }
        return claims;
    }

    static boolean contradicts(String claim, String answer, TaskKind task) {
        return switch (task) {
            case MATH -> {
                BigDecimal claimed = firstNumber(claim);
                BigDecimal expected = firstNumber(answer);
                yield claimed != null && expected != null && claimed.compareTo(expected) != 0;
            }
            case MCQ -> {
                String claimed = choice(claim);
                String expected = choice(answer);
                yield claimed != null && expected != null && !claimed.equals(expected);
            }
            case CODE -> !collapse(claim).equals(collapse(answer));
        };
    }

    private static BigDecimal firstNumber(String text) {
        Matcher number = NUMBER.matcher(text);
        return number.find() ? new BigDecimal(number.group().replace(",", "")) : null;
    }

    private static String choice(String text) {
        Matcher choice = CHOICE.matcher(text.strip());
        return choice.find() ? choice.group(1) : null;
    }

    private static String collapse(String code) {
        return code.strip().replaceAll("\\s+", " ");
    }
}
