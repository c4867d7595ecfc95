package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.twt.common.Query;
import io.twt.common.TaskKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabQueryMixTest {

    @Test
    void theDemoMixGivesMathEightPartsOfElevenAndTheCountsAddUpToTheTotal() {
        assertEquals(Map.of(TaskKind.CODE, 300, TaskKind.MCQ, 150, TaskKind.MATH, 1200), LabQueryMix.DEMO.counts(1650));
        Map<TaskKind, Integer> quick = LabQueryMix.DEMO.counts(60);
        assertEquals(60, quick.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Map.of(TaskKind.CODE, 11, TaskKind.MCQ, 6, TaskKind.MATH, 43), quick);
    }

    @Test
    void theEvenMixDrawsAThirdOfEachKindAndTheSameQueriesForOneSeed() {
        List<Query> drawn = LabQueryMix.EVEN.draw(30, 7);
        for (TaskKind kind : TaskKind.values()) {
            assertEquals(10, drawn.stream().filter(q -> q.task() == kind).count(), kind.toString());
        }
        assertEquals(drawn.stream().map(Query::id).toList(), LabQueryMix.EVEN.draw(30, 7).stream().map(Query::id).toList());
    }

    @Test
    void aMixWithoutPartsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LabQueryMix(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new LabQueryMix(Map.of(TaskKind.MATH, 0)));
    }
}
