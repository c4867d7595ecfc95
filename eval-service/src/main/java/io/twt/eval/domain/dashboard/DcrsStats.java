package io.twt.eval.domain.dashboard;

import io.twt.common.DistillSampleSet;
import io.twt.common.Rejection;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What DCRS did, from its topics: per teacher, how many outputs passed the quality criterion (status OK
 * and confidence at least the threshold) and the distribution of confidences (the paper's figures 10-12);
 * per query, whether it was accepted (diverse pairs) or rejected, and why. Counts are by (query, teacher)
 * and by query, so redelivered records are not counted twice.
 */
public final class DcrsStats {

    /** Confidence histogram bins over [0, 1]. */
    public static final int BINS = 20;

    private final double threshold;
    // teacher -> query id -> (task, status, confidence)
    private final Map<String, Map<String, Seen>> outputs = new TreeMap<>();
    private final Set<String> accepted = new HashSet<>();
    private final Map<String, Integer> samplesPerAccepted = new HashMap<>();
    private final Map<String, Rejection.Reason> rejected = new HashMap<>();

    private record Seen(TaskKind task, TeacherStatus status, double confidence) {
    }

    /** Per teacher: outputs seen, outputs OK, outputs kept by the quality criterion. */
    public record TeacherKeep(String teacher, int outputs, int ok, int kept) {
        public double keepRate() {
            return outputs == 0 ? 0 : (double) kept / outputs;
        }
    }

    /** Per query: accepted with one or two samples, or rejected per reason. */
    public record QueryOutcomes(int accepted, int acceptedWithPair, Map<Rejection.Reason, Integer> rejected) {
        public int decided() {
            return accepted + rejected.values().stream().mapToInt(Integer::intValue).sum();
        }

        public double acceptRate() {
            return decided() == 0 ? 0 : (double) accepted / decided();
        }
    }

    public DcrsStats(double threshold) {
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    public synchronized void record(TeacherOutput output) {
        outputs.computeIfAbsent(output.teacher(), t -> new HashMap<>())
                .put(output.queryId(), new Seen(output.query().task(), output.status(), output.confidence()));
    }

    public synchronized void record(DistillSampleSet set) {
        accepted.add(set.queryId());
        samplesPerAccepted.put(set.queryId(), set.samples().size());
    }

    public synchronized void record(Rejection rejection) {
        rejected.put(rejection.queryId(), rejection.reason());
    }

    public synchronized Map<String, TeacherKeep> keepRates() {
        Map<String, TeacherKeep> rates = new LinkedHashMap<>();
        outputs.forEach((teacher, byQuery) -> {
            int ok = 0;
            int kept = 0;
            for (Seen seen : byQuery.values()) {
                if (seen.status == TeacherStatus.OK) {
                    ok++;
                    if (seen.confidence >= threshold) {
                        kept++;
                    }
                }
            }
            rates.put(teacher, new TeacherKeep(teacher, byQuery.size(), ok, kept));
        });
        return rates;
    }

    /** task -> teacher -> counts per confidence bin, over the OK outputs. */
    public synchronized Map<TaskKind, Map<String, int[]>> confidenceHistograms() {
        Map<TaskKind, Map<String, int[]>> histograms = new EnumMap<>(TaskKind.class);
        outputs.forEach((teacher, byQuery) -> byQuery.values().stream()
                .filter(seen -> seen.status == TeacherStatus.OK)
                .forEach(seen -> histograms.computeIfAbsent(seen.task, t -> new TreeMap<>())
                        .computeIfAbsent(teacher, t -> new int[BINS])[bin(seen.confidence)]++));
        return histograms;
    }

    public synchronized QueryOutcomes queryOutcomes() {
        Map<Rejection.Reason, Integer> reasons = new EnumMap<>(Rejection.Reason.class);
        rejected.forEach((query, reason) -> {
            if (!accepted.contains(query)) {
                reasons.merge(reason, 1, Integer::sum);
            }
        });
        int pairs = (int) samplesPerAccepted.values().stream().filter(count -> count >= 2).count();
        return new QueryOutcomes(accepted.size(), pairs, reasons);
    }

    static int bin(double confidence) {
        return Math.min(BINS - 1, Math.max(0, (int) Math.floor(confidence * BINS)));
    }
}
