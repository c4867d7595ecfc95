package io.twt.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Train or eval. A task's split is a function of what it asks alone, its text and choices (a fifth of them, by
 * hash, are eval), so the two splits never share a query whatever seeds and counts generate them.
 */
public enum Split {
    TRAIN, EVAL;

    private static final int EVAL_SHARE_OF_256 = 52;

    public static Split of(String asked) {
        int first = digest(asked)[0] & 0xff;
        return first < EVAL_SHARE_OF_256 ? EVAL : TRAIN;
    }

    public static Split fromName(String name) {
        return valueOf(name.strip().toUpperCase());
    }

    public String wire() {
        return name().toLowerCase();
    }

    static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
