package io.twt.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.BuiltInQueries;
import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.TaskKind;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LabQueriesTest {

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void theClassPathFindsTheLabsSplitsEachForItsPurposeAndNeverTheSame(TaskKind kind) {
        BuiltInQueries lab = BuiltInQueries.onClassPath();
        assertInstanceOf(LabQueries.class, lab);
        List<Query> distil = lab.generate(kind, QueryPurpose.DISTIL, 60, 7);
        List<Query> eval = lab.generate(kind, QueryPurpose.EVAL, 60, 7);
        assertTrue(distil.stream().allMatch(q -> q.purpose() == QueryPurpose.DISTIL));
        assertTrue(eval.stream().allMatch(q -> q.purpose() == QueryPurpose.EVAL));
        assertTrue(Collections.disjoint(distil.stream().map(Query::text).toList(), eval.stream().map(Query::text).toList())
                || kind == TaskKind.MCQ, "texts may repeat only where the choices differ (mcq)");
        assertTrue(Collections.disjoint(distil.stream().map(Query::id).toList(), eval.stream().map(Query::id).toList()));
        assertEquals(LabTasks.generate(kind, Split.EVAL, 60, 7).stream().map(Query::id).toList(),
                eval.stream().map(Query::id).toList());
    }
}
