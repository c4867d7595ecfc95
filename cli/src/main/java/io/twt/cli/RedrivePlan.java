package io.twt.cli;

import io.twt.common.Query;
import io.twt.common.Redrive;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which queries {@code ./twt redrive} pushes again, and which teachers each asks: from every output on
 * {@code twt.teacher-outputs} (each teacher's latest, i.e. of the highest re-drive number) and the latest decisions
 * on {@code twt.rejected-queries}. A re-drive gets the next number after the highest the query has seen, so the
 * gateway's ledger and the sampler take it as a new ask that replaces the re-asked teachers' outputs.
 */
final class RedrivePlan {

    /** What to re-drive: FAILED outputs, or the failed outputs of queries rejected ALL_FAILED. */
    enum Status { FAILED, ALL_FAILED }

    /** @param teacher only this teacher's outputs; @param since only outputs written at or after it */
    record Filter(Status status, Optional<String> teacher, Optional<Instant> since) {
    }

    /** An output with the time it was written to the topic. */
    record Written(TeacherOutput output, Instant at) {
    }

    private RedrivePlan() {
    }

    static List<Query> plan(List<Written> outputs, Map<String, Rejection> rejections, Filter filter) {
        Map<String, Map<String, Written>> latest = new LinkedHashMap<>();
        Map<String, Integer> highestRedrive = new TreeMap<>();
        for (Written written : outputs) {
            TeacherOutput output = written.output();
            highestRedrive.merge(output.queryId(), output.redrive(), Math::max);
            latest.computeIfAbsent(output.queryId(), id -> new TreeMap<>()).merge(output.teacher(), written,
                    (before, now) -> now.output().redrive() >= before.output().redrive() ? now : before);
        }
        List<Query> redrives = new ArrayList<>();
        latest.forEach((queryId, byTeacher) -> {
            if (filter.status() == Status.ALL_FAILED) {
                Rejection rejection = rejections.get(queryId);
                if (rejection == null || rejection.reason() != Rejection.Reason.ALL_FAILED) {
                    return;
                }
            }
            List<String> teachers = new ArrayList<>();
            Query query = null;
            for (Written written : byTeacher.values()) {
                TeacherOutput output = written.output();
                boolean failed = filter.status() == Status.FAILED
                        ? output.status() == TeacherStatus.FAILED : output.status() != TeacherStatus.OK;
                if (failed && filter.teacher().map(output.teacher()::equals).orElse(true)
                        && filter.since().map(since -> !written.at().isBefore(since)).orElse(true)) {
                    teachers.add(output.teacher());
                    query = output.query();
                }
            }
            if (!teachers.isEmpty()) {
                redrives.add(query.withRedrive(new Redrive(highestRedrive.get(queryId) + 1, teachers)));
            }
        });
        return redrives;
    }
}
