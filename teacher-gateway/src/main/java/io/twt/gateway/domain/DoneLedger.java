package io.twt.gateway.domain;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which (query, teacher) pairs already have their record on {@code twt.teacher-outputs}, so a redelivered or
 * repeated query never gets a second one. A pair is claimed while its call is in flight (a second delivery
 * of the same query meanwhile skips it) and done once its record is acknowledged by the broker. Done pairs
 * are kept up to a capacity, oldest forgotten first; redeliveries come soon after the first delivery. A re-drive
 * asks a query again on purpose: its pairs are those of {@link #ask(String, int)}, so they are new, once.
 */
public final class DoneLedger {

    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, Boolean> done;

    public DoneLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ledger capacity must be >= 1: " + capacity);
        }
        this.done = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The id under which one ask of a query is ledgered: the query id for the first, with the number for a re-drive. */
    public static String ask(String queryId, int redrive) {
        return redrive == 0 ? queryId : queryId + "#redrive-" + redrive;
    }

    /** True when the caller now owns the pair; false when it is done or another delivery is working on it. */
    public synchronized boolean claim(String queryId, String teacher) {
        String key = key(queryId, teacher);
        return !done.containsKey(key) && inFlight.add(key);
    }

    /** The claimed pair's record is on the topic. */
    public synchronized void done(String queryId, String teacher) {
        String key = key(queryId, teacher);
        inFlight.remove(key);
        done.put(key, Boolean.TRUE);
    }

    /** The claimed pair's record could not be written; a later delivery may try again. */
    public synchronized void release(String queryId, String teacher) {
        inFlight.remove(key(queryId, teacher));
    }

    /** A record found on the topic (after a restart): the pair is done. */
    public synchronized void recordExisting(String queryId, String teacher) {
        done.put(key(queryId, teacher), Boolean.TRUE);
    }

    public synchronized boolean isDone(String queryId, String teacher) {
        return done.containsKey(key(queryId, teacher));
    }

    private static String key(String queryId, String teacher) {
        return queryId + '\u0000' + teacher;
    }
}
