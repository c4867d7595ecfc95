package io.twt.common;

import java.util.Arrays;
import java.util.List;

/**
 * The topic catalogue of DESIGN.md: every service, the embedded broker, {@code k8s/} and
 * {@code docker-compose.yml} take names, keys, cleanup policy and partitions from here.
 */
public enum Topic {
    QUERIES("twt.queries", "queryId", CleanupPolicy.DELETE, Query.class),
    TEACHER_OUTPUTS("twt.teacher-outputs", "queryId", CleanupPolicy.DELETE, TeacherOutput.class),
    QUALITY_FILTERED("twt.quality-filtered", "queryId", CleanupPolicy.DELETE, TeacherOutput.class),
    RATIONALE_EMBEDDINGS("twt.rationale-embeddings", "queryId", CleanupPolicy.DELETE, RationaleEmbedding.class),
    DIVERSE_PAIRS("twt.diverse-pairs", "queryId", CleanupPolicy.COMPACT, DistillSampleSet.class),
    REJECTED_QUERIES("twt.rejected-queries", "queryId", CleanupPolicy.COMPACT, Rejection.class),
    STUDENT_DRAFTS("twt.student-drafts", "round:queryId:teacher", CleanupPolicy.DELETE, StudentDraft.class),
    COMPRESSED_RATIONALES("twt.compressed-rationales", "round:queryId:teacher", CleanupPolicy.COMPACT, CompressedRationale.class),
    MODEL_VERSIONS("twt.model-versions", "round:stage", CleanupPolicy.COMPACT, ModelVersion.class),
    EVAL_REPORTS("twt.eval-reports", "round:stage:task", CleanupPolicy.COMPACT, EvalReport.class),
    TEACHER_SPEND("twt.teacher-spend", "teacher:day:replica", CleanupPolicy.COMPACT, TeacherSpend.class);

    /** Partitions per topic: a few, so one query's records stay ordered and consumers can still scale out. */
    public static final int PARTITIONS = 3;
    public static final String DLQ_SUFFIX = ".dlq";

    public enum CleanupPolicy {
        DELETE, COMPACT;

        public String config() {
            return name().toLowerCase();
        }
    }

    private final String topicName;
    private final String keyFormat;
    private final CleanupPolicy cleanup;
    private final RecordCodec<? extends Validated> codec;

    Topic(String topicName, String keyFormat, CleanupPolicy cleanup, Class<? extends Validated> valueType) {
        this.topicName = topicName;
        this.keyFormat = keyFormat;
        this.cleanup = cleanup;
        this.codec = RecordCodec.of(valueType);
    }

    public String topicName() {
        return topicName;
    }

    public String dlq() {
        return topicName + DLQ_SUFFIX;
    }

    public String keyFormat() {
        return keyFormat;
    }

    public CleanupPolicy cleanup() {
        return cleanup;
    }

    public int partitions() {
        return PARTITIONS;
    }

    /**
     * The codec of this topic's values. {@code type} only lets the compiler type the result: it must be the
     * topic's own value type, so a caller naming another fails at once instead of misreading records.
     */
    @SuppressWarnings("unchecked")
    public <T extends Validated> RecordCodec<T> codec(Class<T> type) {
        if (codec.type() != type) {
            throw new IllegalArgumentException(topicName + " carries " + codec.type().getSimpleName() + ", not " + type.getSimpleName());
        }
        return (RecordCodec<T>) codec;
    }

    /** Every topic name the system uses, dead-letter topics included (those are delete-policy). */
    public static List<String> allNames() {
        return Arrays.stream(values()).flatMap(t -> List.of(t.topicName, t.dlq()).stream()).toList();
    }

    public static Topic byName(String name) {
        for (Topic topic : values()) {
            if (topic.topicName.equals(name)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("no topic named " + name + " in the catalogue");
    }
}
