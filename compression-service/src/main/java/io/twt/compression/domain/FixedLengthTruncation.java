package io.twt.compression.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fixed-length baseline of paper table 6: the original rationale cut, at a word boundary, to a token budget. */
public final class FixedLengthTruncation {

    private static final Pattern WORD = Pattern.compile("\\S+");

    private FixedLengthTruncation() {
    }

    /** The longest whole-word prefix within {@code budget} tokens; at least the first word, so never empty. */
    public static String truncate(String rationale, int budget, TokenCounter counter) {
        String text = rationale.strip();
        if (counter.count(text) <= budget) {
            return text;
        }
        List<Integer> wordEnds = new ArrayList<>();
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            wordEnds.add(word.end());
        }
        // a prefix's token count grows with its word count, so the longest fitting prefix is found by bisection
        int low = 1;
        int high = wordEnds.size();
        while (low < high) {
            int middle = (low + high + 1) / 2;
            if (counter.count(text.substring(0, wordEnds.get(middle - 1))) <= budget) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return text.substring(0, wordEnds.get(low - 1));
    }
}
