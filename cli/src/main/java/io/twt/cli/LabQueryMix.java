package io.twt.cli;

import io.twt.common.BuiltInQueries;
import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.TaskKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many of N pushed lab queries go to each task kind: parts of a whole, the remainder to the kinds listed first.
 *
 * @param parts each kind's parts (kinds left out get none)
 */
public record LabQueryMix(Map<TaskKind, Integer> parts) {

    /** A third per kind: the experiments' pool. */
    public static final LabQueryMix EVEN = new LabQueryMix(Map.of(TaskKind.CODE, 1, TaskKind.MCQ, 1, TaskKind.MATH, 1));

    /**
     * The demo's: eight parts math to two of code and one of mcq, because math's answer-only stage needs about a
     * thousand kept rationales (bench/learning/README.md: 250 give 21%, 1,000 give 83%), where code learns from 300
     * and mcq, at chance whatever its share (lab/README.md), gives up the time they take.
     */
    public static final LabQueryMix DEMO = new LabQueryMix(Map.of(TaskKind.CODE, 2, TaskKind.MCQ, 1, TaskKind.MATH, 8));

    public LabQueryMix {
        parts = Map.copyOf(parts);
        if (parts.isEmpty() || parts.values().stream().anyMatch(part -> part < 1)) {
            throw new IllegalArgumentException("a mix needs one part or more per kind listed, got " + parts);
        }
    }

    /** Each kind's count of {@code total}; the counts add up to it. */
    public Map<TaskKind, Integer> counts(int total) {
        int whole = parts.values().stream().mapToInt(Integer::intValue).sum();
        Map<TaskKind, Integer> counts = new EnumMap<>(TaskKind.class);
        int given = 0;
        for (TaskKind kind : TaskKind.values()) {
            if (parts.containsKey(kind)) {
                int count = total * parts.get(kind) / whole;
                counts.put(kind, count);
                given += count;
            }
        }
        for (TaskKind kind : TaskKind.values()) {
            if (given < total && parts.containsKey(kind)) {
                counts.merge(kind, 1, Integer::sum);
                given++;
            }
        }
        return counts;
    }

    /** The lab's distillation queries in this mix, the same for one seed. */
    public List<Query> draw(int total, long seed) {
        BuiltInQueries lab = BuiltInQueries.onClassPath();
        List<Query> queries = new ArrayList<>();
        counts(total).forEach((kind, count) -> queries.addAll(lab.generate(kind, QueryPurpose.DISTIL, count, seed)));
        return queries;
    }
}
