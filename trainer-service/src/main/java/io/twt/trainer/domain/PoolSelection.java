package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.answer.Answers;
import io.twt.common.selection.DiversityStep;
import io.twt.common.selection.QualityCriterion;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which rows of a frozen pool a recipe trains on. {@link #dcrs()}: DCRS's decisions as sampler-service made them
 * (quality, then the least similar pair), the distillation set G of HaRD and of the baselines. Otherwise a
 * {@link QualityCriterion} over each query's outputs, optionally one teacher's. The sampling methods of table 5
 * follow it with DCRS's own diversity step ({@link DiversityStep}, the code sampler-service runs, over the
 * embeddings the pool froze), so a table-5 row differs from another by its quality criterion only; TinyLLM (every
 * kept rationale) and the w/o-multi-teacher and w/o-DCRS ablations of table 7 have no diversity step.
 *
 * @param criterion null for DCRS's recorded decisions
 * @param teacher   only this teacher's outputs (w/o multi-teacher); null for all
 * @param diverse   whether the least similar pair is chosen among three or more kept outputs
 */
public record PoolSelection(QualityCriterion criterion, String teacher, boolean diverse) {

    public static PoolSelection dcrs() {
        return new PoolSelection(null, null, false);
    }

    /**
     * The selection a recipe trains on.
     *
     * @param threshold s, of the confidence and log-probability criteria
     * @param teacher   the one teacher of twt-single-teacher (required there, ignored elsewhere)
     */
    public static PoolSelection forRecipe(String recipe, double threshold, String teacher) {
        return switch (recipe) {
            case "twt-single-teacher" -> {
                if (teacher == null || teacher.isBlank()) {
                    throw new IllegalArgumentException("twt-single-teacher needs a teacher (--teacher NAME)");
                }
                yield new PoolSelection(new QualityCriterion.Confidence(threshold), teacher, false);
            }
            // TinyLLM learns every kept teacher's rationale, not only the diverse pair
            case "tinyllm" -> new PoolSelection(new QualityCriterion.Confidence(threshold), null, false);
            case "select-confidence" -> new PoolSelection(new QualityCriterion.Confidence(threshold), null, true);
            case "select-logprob" -> new PoolSelection(new QualityCriterion.MeanLogprob(threshold), null, true);
            case "select-hard-rejection" -> new PoolSelection(new QualityCriterion.MajorityAnswer(), null, true);
            case "twt-no-dcrs" -> new PoolSelection(new QualityCriterion.AnyOk(), null, false);
            default -> {
                StageRecipe.named(recipe);
                yield dcrs();
            }
        };
    }

    /** The (query, sample) rows selected from the pool, in the pool's query order and then by teacher. */
    public List<DistillRow> rows(PoolSnapshot pool) {
        List<DistillRow> rows = new ArrayList<>();
        for (PoolSnapshot.PooledQuery pooled : pool.queries()) {
            if (criterion == null) {
                pooled.selected().forEach(sample -> rows.add(new DistillRow(pooled.query(), sample)));
                continue;
            }
            List<TeacherOutput> candidates = pooled.outputs().stream()
                    .filter(output -> teacher == null || teacher.equals(output.teacher())).toList();
            for (TeacherOutput kept : chosen(pool, pooled, criterion.keep(candidates))) {
                rows.add(new DistillRow(pooled.query(), new DistillSample(kept.teacher(), kept.rationale(), kept.answer(),
                        kept.confidence())));
            }
        }
        return rows;
    }

    private List<TeacherOutput> chosen(PoolSnapshot pool, PoolSnapshot.PooledQuery pooled, List<TeacherOutput> kept) {
        if (!diverse) {
            return kept;
        }
        if (DiversityStep.needsEmbeddings(kept.size()) && !pooled.embeddings().keySet()
                .containsAll(kept.stream().map(TeacherOutput::teacher).toList())) {
            throw new IllegalStateException("pool " + pool.id() + " has no rationale embeddings for query "
                    + pooled.query().id() + " (taken before pools kept them); take a new snapshot for this selection");
        }
        return DiversityStep.choose(kept, pooled.embeddings()).chosen();
    }

    /**
     * How many selected rows give the gold answer, per task kind, over rows whose query has gold; code is judged by
     * running tests, which is eval-service's, so it has no label accuracy here.
     */
    public static Map<TaskKind, LabelAccuracy> labelAccuracy(List<DistillRow> rows) {
        Map<TaskKind, int[]> counts = new EnumMap<>(TaskKind.class);
        for (DistillRow row : rows) {
            if (row.query().gold() == null || row.query().task() == TaskKind.CODE) {
                continue;
            }
            int[] count = counts.computeIfAbsent(row.query().task(), k -> new int[2]);
            count[0] += Answers.matchesGold(row.query(), row.sample().answer()) ? 1 : 0;
            count[1]++;
        }
        Map<TaskKind, LabelAccuracy> accuracy = new EnumMap<>(TaskKind.class);
        counts.forEach((task, count) -> accuracy.put(task, new LabelAccuracy(count[0], count[1])));
        return accuracy;
    }

    /** Selected rows whose answer is the gold one, of those with gold. */
    public record LabelAccuracy(int correct, int withGold) {
        public double value() {
            return withGold == 0 ? 0 : (double) correct / withGold;
        }
    }
}
