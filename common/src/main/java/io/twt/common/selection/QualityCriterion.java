package io.twt.common.selection;

import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.answer.Answers;
import java.util.List;

/**
 * Which of one query's teacher outputs are good enough to distil from. {@link Confidence} is DCRS's quality step
 * (paper 3.1.1), the one sampler-service runs live; the others are what table 5 (sampling methods) and table 7
 * (w/o DCRS) compare it with, run by experiments over a frozen pool. Only OK outputs are ever kept.
 */
public sealed interface QualityCriterion {

    /** DCRS's default quality threshold s (paper 4.1). */
    double PAPER_THRESHOLD = 0.95;

    /**
     * The configuration key of s, read by sampler-service (which applies it) and eval-service (which shows the keep
     * rates it gives); both default to {@link #PAPER_THRESHOLD}.
     */
    String THRESHOLD_KEY = "twt.sampler.threshold";

    /** The kept outputs among one query's outputs (at most one per teacher), in their given order. */
    List<TeacherOutput> keep(List<TeacherOutput> outputs);

    /** Confidence score: c = sum of w_j * m_j >= s. */
    record Confidence(double threshold) implements QualityCriterion {
        @Override
        public List<TeacherOutput> keep(List<TeacherOutput> outputs) {
            return outputs.stream().filter(output -> output.kept(threshold)).toList();
        }
    }

    /**
     * Log probability: the reply's geometric-mean token probability, exp(mean token log-probability), >= s, so the
     * threshold reads as the confidence one does. An output whose teacher returned no log-probabilities is not kept.
     */
    record MeanLogprob(double threshold) implements QualityCriterion {
        @Override
        public List<TeacherOutput> keep(List<TeacherOutput> outputs) {
            return outputs.stream().filter(output -> output.status() == TeacherStatus.OK && output.meanLogprob() != null
                    && Math.exp(output.meanLogprob()) >= threshold).toList();
        }
    }

    /**
     * Hard rejection sampling: an output is kept when its answer agrees with a strict majority of the teachers asked
     * (the query's teacher count, failures included), the answers compared as eval compares them.
     */
    record MajorityAnswer() implements QualityCriterion {
        @Override
        public List<TeacherOutput> keep(List<TeacherOutput> outputs) {
            List<TeacherOutput> answered = outputs.stream().filter(output -> output.status() == TeacherStatus.OK).toList();
            return answered.stream().filter(output -> {
                long agreeing = answered.stream()
                        .filter(other -> Answers.sameAnswer(output.query(), output.answer(), other.answer())).count();
                int asked = Math.max(output.teacherCount(), outputs.size());
                return 2 * agreeing > asked;
            }).toList();
        }
    }

    /** No quality selection (table 7, w/o DCRS): every OK output. */
    record AnyOk() implements QualityCriterion {
        @Override
        public List<TeacherOutput> keep(List<TeacherOutput> outputs) {
            return outputs.stream().filter(output -> output.status() == TeacherStatus.OK).toList();
        }
    }
}
