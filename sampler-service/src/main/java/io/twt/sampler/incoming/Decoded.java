package io.twt.sampler.incoming;

/** A record as read: its decoded value, or null with the original bytes kept for the dead-letter topic. */
record Decoded<T>(T value, byte[] raw) {

    boolean valid() {
        return value != null;
    }
}
