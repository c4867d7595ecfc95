package io.twt.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * DCRS's decision for one query on {@code twt.diverse-pairs}: one or two samples.
 *
 * @param minSimilarity cosine similarity of the chosen pair when three or more were kept, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DistillSampleSet(int schemaVersion, String queryId, Query query, List<DistillSample> samples,
                               Double minSimilarity, int keptCount, int teacherCount) implements Validated {

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.text("queryId", queryId);
        Check.present("query", query);
        query.validate();
        Check.nonEmpty("samples", samples);
        for (DistillSample sample : samples) {
            Check.text("samples.teacher", sample.teacher());
            Check.text("samples.rationale", sample.rationale());
            Check.text("samples.answer", sample.answer());
        }
    }
}
