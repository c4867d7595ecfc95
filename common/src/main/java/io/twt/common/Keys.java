package io.twt.common;

/** Record keys as the topic catalogue defines them; one place so producers and readers agree. */
public final class Keys {

    private Keys() {
    }

    public static String draft(int round, String queryId, String teacher) {
        return round + ":" + queryId + ":" + teacher;
    }

    public static String modelVersion(int round, int stage) {
        return round + ":" + stage;
    }

    public static String evalReport(int round, int stage, TaskKind task) {
        return round + ":" + stage + ":" + task.wire();
    }
}
