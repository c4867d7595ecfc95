package io.twt.eval.domain.scoring;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lm-evaluation-harness's two GSM8K scores, as its gsm8k task defines them, so that figures compare with the ones
 * users already have: both filters read the same output, then exact match after the task's regexes_to_ignore
 * ({@code ","}, {@code "\$"}, {@code "(?s).*#### "}, {@code "\.$"}) and ignoring case. A filter that finds nothing
 * answers "[invalid]", which matches no gold.
 */
public enum Gsm8kHarness {
    /** The number right after "#### ", the first one: regex {@code #### (\-?[0-9\.\,]+)}, take_first. */
    STRICT_MATCH("exact_match,strict-match", Pattern.compile("#### (\\-?[0-9.,]+)"), false),
    /** The last number-like run in the output: regex {@code (-?[$0-9.,]{2,})|(-?[0-9]+)}, group_select -1. */
    FLEXIBLE_EXTRACT("exact_match,flexible-extract", Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)"), true);

    static final String INVALID = "[invalid]";

    private final String metric;
    private final Pattern pattern;
    private final boolean lastMatch;

    Gsm8kHarness(String metric, Pattern pattern, boolean lastMatch) {
        this.metric = metric;
        this.pattern = pattern;
        this.lastMatch = lastMatch;
    }

    /** The metric's name as lm-evaluation-harness prints it ("exact_match,strict-match"). */
    public String metric() {
        return metric;
    }

    /** What the filter keeps of an output: the selected match's first non-empty group, stripped. */
    public String extract(String output) {
        if (output == null) {
            return INVALID;
        }
        Matcher matcher = pattern.matcher(output);
        String kept = null;
        while (matcher.find()) {
            kept = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            if (!lastMatch) {
                break;
            }
        }
        return kept == null ? INVALID : kept.strip();
    }

    /** Whether the output matches the gold ("72", or GSM8K's whole worked answer "... #### 72"). */
    public boolean matches(String output, String gold) {
        String answer = extract(output);
        return !answer.equals(INVALID) && gold != null && ignored(answer).equals(ignored(gold));
    }

    private static String ignored(String text) {
        return text.replaceAll(",", "").replaceAll("\\$", "").replaceAll("(?s).*#### ", "").replaceAll("\\.$", "")
                .toLowerCase(Locale.ROOT);
    }
}
