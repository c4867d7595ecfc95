package io.twt.common.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiversityStepTest {

    private static final Query QUERY = Query.of("q", TaskKind.MATH, "What is 6 * 7?", null, null, "test", "42");

    private static TeacherOutput ok(String teacher) {
        return new TeacherOutput(SchemaVersion.CURRENT, "q", QUERY, teacher, 4, TeacherStatus.OK, "r of " + teacher,
                "42", Map.of(), 0.99, Usage.NONE, 1, 1, null, null, 0, null);
    }

    private static List<String> teachers(DiversityStep step) {
        return step.chosen().stream().map(TeacherOutput::teacher).toList();
    }

    // a and c point opposite ways; b and d lie between
    private static final Map<String, float[]> EMBEDDINGS = Map.of("a", new float[] {1, 0}, "b", new float[] {0.8f, 0.6f},
            "c", new float[] {-1, 0}, "d", new float[] {0, 1});

    @Test
    void twoOrFewerKeptAreAllKeptWithoutEmbeddings() {
        DiversityStep two = DiversityStep.choose(List.of(ok("a"), ok("b")), Map.of());
        assertEquals(List.of("a", "b"), teachers(two));
        assertNull(two.minSimilarity());
        assertEquals(List.of(), teachers(DiversityStep.choose(List.of(), Map.of())));
    }

    @Test
    void ofThreeOrMoreTheLeastSimilarPairIsChosenInKeptOrder() {
        DiversityStep step = DiversityStep.choose(List.of(ok("a"), ok("b"), ok("c"), ok("d")), EMBEDDINGS);
        assertEquals(List.of("a", "c"), teachers(step));
        assertEquals(-1.0, step.minSimilarity(), 1e-6);
    }

    @Test
    void onlyKeptOutputsTakePartAndThoseWithoutAnEmbeddingSitOut() {
        // c, the far one, is not kept; d has no embedding here: of a and b and d, only a and b can pair
        Map<String, float[]> withoutD = Map.of("a", EMBEDDINGS.get("a"), "b", EMBEDDINGS.get("b"), "c", EMBEDDINGS.get("c"));
        assertEquals(List.of("a", "b"), teachers(DiversityStep.choose(List.of(ok("a"), ok("b"), ok("d")), withoutD)));
        assertThrows(IllegalArgumentException.class,
                () -> DiversityStep.choose(List.of(ok("a"), ok("b"), ok("d")), Map.of("a", EMBEDDINGS.get("a"))));
    }
}
