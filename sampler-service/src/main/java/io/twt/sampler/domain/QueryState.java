package io.twt.sampler.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.RationaleEmbedding;
import io.twt.common.Redrive;
import io.twt.common.Rejection;
import io.twt.common.SchemaVersion;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.selection.DiversityStep;
import io.twt.common.selection.QualityCriterion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything DCRS knows about one query: the teachers' outputs and the embeddings of kept rationales, keyed
 * and ordered by teacher name, and, once decided, which way (kept until the decision is forgotten, so that a
 * re-drive can decide it once more from the complete set). Immutable; each arrival returns a new state.
 *
 * @param query          null until the first teacher output arrives (an embedding may come first)
 * @param teacherCount   how many teachers were asked, 0 until the first teacher output arrives
 * @param firstSeenMillis wall-clock time of the query's first record (or of its re-drive); the deadline counts from it
 * @param redrive        the latest re-drive taken in (0: none); null in states stored before re-drives existed
 * @param reasked        the teachers that re-drive asks again: their earlier outputs no longer count
 * @param decided        null while open; {@link #SELECTED} or {@link #REJECTED} once decided
 * @param earlier        the decision a re-drive reopened (null: none); withdrawn when the new one goes the other way
 */
public record QueryState(String queryId, Query query, int teacherCount, long firstSeenMillis,
                         Map<String, TeacherOutput> outputs, Map<String, float[]> embeddings,
                         Integer redrive, List<String> reasked, String decided, String earlier) {

    public static final String SELECTED = "selected";
    public static final String REJECTED = "rejected";

    public QueryState {
        outputs = new TreeMap<>(outputs);
        embeddings = new TreeMap<>(embeddings);
        redrive = redrive == null ? Integer.valueOf(0) : redrive;
        reasked = reasked == null ? List.of() : List.copyOf(reasked);
    }

    public static QueryState start(String queryId, long nowMillis) {
        return new QueryState(queryId, null, 0, nowMillis, Map.of(), Map.of(), 0, List.of(), null, null);
    }

    /** An output of an earlier ask from a teacher this state's re-drive asked again: it no longer counts. */
    public boolean stale(TeacherOutput output) {
        return output.redrive() < redrive && reasked.contains(output.teacher());
    }

    /**
     * Opens the query again for a newer re-drive: the re-asked teachers' outputs and embeddings are dropped so
     * that theirs from this re-drive take their place, and the deadline counts anew.
     */
    public QueryState reopenFor(Redrive request, long nowMillis) {
        Map<String, TeacherOutput> left = new TreeMap<>(outputs);
        Map<String, float[]> leftEmbeddings = new TreeMap<>(embeddings);
        request.teachers().forEach(teacher -> {
            left.remove(teacher);
            leftEmbeddings.remove(teacher);
        });
        return new QueryState(queryId, query, teacherCount, nowMillis, left, leftEmbeddings, request.number(),
                request.teachers(), null, decided != null ? decided : earlier);
    }

    /** The same state, decided: SELECTED or REJECTED. */
    public QueryState decidedAs(Decision decision) {
        return new QueryState(queryId, query, teacherCount, firstSeenMillis, outputs, embeddings, redrive, reasked,
                decision instanceof Decision.Selected ? SELECTED : REJECTED, earlier);
    }

    public boolean hasOutputFrom(String teacher) {
        return outputs.containsKey(teacher);
    }

    public boolean hasEmbeddingFrom(String teacher) {
        return embeddings.containsKey(teacher);
    }

    /** Adds a teacher's output; a second output of the same teacher is a redelivery and changes nothing. */
    public QueryState withOutput(TeacherOutput output) {
        if (hasOutputFrom(output.teacher())) {
            return this;
        }
        Map<String, TeacherOutput> more = new TreeMap<>(outputs);
        more.put(output.teacher(), output);
        return new QueryState(queryId, query == null ? output.query() : query,
                Math.max(teacherCount, output.teacherCount()), firstSeenMillis, more, embeddings, redrive, reasked, decided, earlier);
    }

    /** Adds the embedding of a teacher's rationale; the first one received counts. */
    public QueryState withEmbedding(RationaleEmbedding embedding) {
        if (hasEmbeddingFrom(embedding.teacher())) {
            return this;
        }
        Map<String, float[]> more = new TreeMap<>(embeddings);
        more.put(embedding.teacher(), embedding.vector());
        return new QueryState(queryId, query, teacherCount, firstSeenMillis, outputs, more, redrive, reasked, decided, earlier);
    }

    public boolean deadlinePassed(long nowMillis, DcrsSettings settings) {
        return nowMillis - firstSeenMillis >= settings.deadline().toMillis();
    }

    /** DCRS's quality step, the same criterion experiments run over a frozen pool ({@code select-confidence}). */
    public List<TeacherOutput> kept(double threshold) {
        return new QualityCriterion.Confidence(threshold).keep(List.copyOf(outputs.values()));
    }

    /**
     * The decision, once it can be made: every teacher reported and, when a choice among three or more
     * kept rationales is needed, each of them has its embedding; or the deadline passed, and then the
     * choice is made with what arrived. Empty while the query must still wait.
     */
    public Optional<Decision> decide(double threshold, boolean deadlinePassed) {
        boolean allReported = query != null && outputs.size() >= teacherCount;
        if (!allReported && !deadlinePassed) {
            return Optional.empty();
        }
        List<TeacherOutput> kept = kept(threshold);
        if (kept.isEmpty()) {
            return Optional.of(reject(allReported ? noneKeptReason() : Rejection.Reason.DEADLINE, noneKeptDetail()));
        }
        if (!DiversityStep.needsEmbeddings(kept.size())) {
            return Optional.of(select(DiversityStep.choose(kept, embeddings), kept.size()));
        }
        long embedded = kept.stream().filter(o -> hasEmbeddingFrom(o.teacher())).count();
        if (embedded < kept.size() && !deadlinePassed) {
            return Optional.empty();
        }
        if (embedded < 2) {
            return Optional.of(reject(Rejection.Reason.DEADLINE, kept.size() + " rationales kept but only "
                    + embedded + " embedding(s) arrived before the deadline; diversity selection needs two"));
        }
        return Optional.of(select(DiversityStep.choose(kept, embeddings), kept.size()));
    }

    private Rejection.Reason noneKeptReason() {
        boolean anyAnswered = outputs.values().stream().anyMatch(o -> o.status() == TeacherStatus.OK);
        return anyAnswered ? Rejection.Reason.ALL_LOW_CONFIDENCE : Rejection.Reason.ALL_FAILED;
    }

    private String noneKeptDetail() {
        if (query == null) {
            return "no teacher output arrived before the deadline";
        }
        long failed = outputs.values().stream().filter(o -> o.status() != TeacherStatus.OK).count();
        return outputs.size() + " of " + teacherCount + " teachers reported: " + failed
                + " failed or unparseable, " + (outputs.size() - failed) + " below the confidence threshold";
    }

    private Decision reject(Rejection.Reason reason, String detail) {
        return new Decision.Rejected(new Rejection(SchemaVersion.CURRENT, queryId, reason, detail));
    }

    private Decision select(DiversityStep choice, int keptCount) {
        List<DistillSample> samples = choice.chosen().stream()
                .map(o -> new DistillSample(o.teacher(), o.rationale(), o.answer(), o.confidence()))
                .toList();
        return new Decision.Selected(new DistillSampleSet(SchemaVersion.CURRENT, queryId, query, samples,
                choice.minSimilarity(), keptCount, teacherCount));
    }
}
