package io.twt.cli;

import io.twt.common.Topic;
import java.util.Map;

/**
 * A snapshot of how far the pipeline is, counted from the topics: one line per stage of the pipeline.
 *
 * @param training the trainer's own progress line (step, loss, ETA), or empty when it has none to tell
 */
record PipelineProgress(long queries, long expectedOutputs, long outputs, long kept, long decided, long rejected,
                        long queryDlq, long drafts, long compressed, long modelVersions, long evalReports,
                        String training) {

    static PipelineProgress from(Map<String, KafkaView.TopicFigures> topics, long queries, int teachers, String training) {
        return new PipelineProgress(queries, queries * teachers,
                count(topics, Topic.TEACHER_OUTPUTS.topicName()),
                count(topics, Topic.QUALITY_FILTERED.topicName()),
                count(topics, Topic.DIVERSE_PAIRS.topicName()) + count(topics, Topic.REJECTED_QUERIES.topicName()),
                count(topics, Topic.REJECTED_QUERIES.topicName()),
                count(topics, Topic.QUERIES.dlq()),
                count(topics, Topic.STUDENT_DRAFTS.topicName()),
                count(topics, Topic.COMPRESSED_RATIONALES.topicName()),
                count(topics, Topic.MODEL_VERSIONS.topicName()),
                count(topics, Topic.EVAL_REPORTS.topicName()),
                training);
    }

    private static long count(Map<String, KafkaView.TopicFigures> topics, String name) {
        KafkaView.TopicFigures figures = topics.get(name);
        return figures == null ? 0 : figures.records();
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
