package io.twt.cli;

import io.twt.common.Topic;
import java.util.List;

/**
 * A snapshot of how far the pipeline is, counted from the topics: one line per stage of the pipeline.
 *
 * @param training the trainer's own progress line (step, loss, ETA), or empty when it has none to tell
 */
record PipelineProgress(long queries, long expectedOutputs, long outputs, long kept, long decided, long rejected,
                        long queryDlq, long drafts, long compressed, long modelVersions, long evalReports,
                        String training) {

    /** The topics the progress is counted on. */
    static final List<String> TOPICS = List.of(Topic.TEACHER_OUTPUTS.topicName(), Topic.QUALITY_FILTERED.topicName(),
            Topic.DIVERSE_PAIRS.topicName(), Topic.REJECTED_QUERIES.topicName(), Topic.QUERIES.dlq(),
            Topic.STUDENT_DRAFTS.topicName(), Topic.COMPRESSED_RATIONALES.topicName(), Topic.MODEL_VERSIONS.topicName(),
            Topic.EVAL_REPORTS.topicName());

    /** Counts by key where a key is one decision (a query, a draft, a version, a report), so redeliveries count once. */
    static PipelineProgress from(TopicTally tally, long queries, int teachers, String training) {
        return new PipelineProgress(queries, queries * teachers,
                tally.records(Topic.TEACHER_OUTPUTS.topicName()),
                tally.records(Topic.QUALITY_FILTERED.topicName()),
                tally.distinctKeys(Topic.DIVERSE_PAIRS.topicName()) + tally.distinctKeys(Topic.REJECTED_QUERIES.topicName()),
                tally.distinctKeys(Topic.REJECTED_QUERIES.topicName()),
                tally.distinctKeys(Topic.QUERIES.dlq()),
                tally.distinctKeys(Topic.STUDENT_DRAFTS.topicName()),
                tally.distinctKeys(Topic.COMPRESSED_RATIONALES.topicName()),
                tally.distinctKeys(Topic.MODEL_VERSIONS.topicName()),
                tally.distinctKeys(Topic.EVAL_REPORTS.topicName()),
                training);
    }

    /** Every query has its one decision: a sample set, a rejection or a dead letter. */
    boolean allDecided() {
        return decided + queryDlq >= queries;
    }

    String[] lines() {
        return new String[]{
                String.format("teachers    %5d / %-5d outputs", outputs, expectedOutputs),
                String.format("quality     %5d kept (c >= threshold)", kept),
                String.format("diversity   %5d / %-5d queries decided (%d rejected, %d dead letters)",
                        decided + queryDlq, queries, rejected, queryDlq),
                String.format("compression %5d / %-5d drafts compressed", compressed, drafts),
                String.format("training    %5d model versions  %s", modelVersions, training),
                String.format("evaluation  %5d reports", evalReports)};
    }
}
