package io.twt.embedding.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a text's token ids into model-sized windows instead of truncating: each window holds at most
 * {@code maxTokens - special} content tokens and is wrapped in the model's special tokens ([CLS] ... [SEP]).
 */
public final class TokenWindows {

    private TokenWindows() {
    }

    /** The windows of one text, in order; an empty text still gives one window of special tokens only. */
    public static List<long[]> of(long[] contentIds, long[] prefix, long[] suffix, int maxTokens) {
        int room = maxTokens - prefix.length - suffix.length;
        if (room < 1) {
            throw new IllegalArgumentException("max tokens " + maxTokens + " leaves no room besides the special tokens");
        }
        List<long[]> windows = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(contentIds.length, start + room);
            windows.add(wrap(Arrays.copyOfRange(contentIds, start, end), prefix, suffix));
            start = end;
        } while (start < contentIds.length);
        return windows;
    }

    private static long[] wrap(long[] content, long[] prefix, long[] suffix) {
        long[] window = new long[prefix.length + content.length + suffix.length];
        System.arraycopy(prefix, 0, window, 0, prefix.length);
        System.arraycopy(content, 0, window, prefix.length, content.length);
        System.arraycopy(suffix, 0, window, prefix.length + content.length, suffix.length);
        return window;
    }
}
