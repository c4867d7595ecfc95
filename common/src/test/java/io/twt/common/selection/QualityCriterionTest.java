package io.twt.common.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityCriterionTest {

    private static final Query QUERY = Query.of("q", TaskKind.MATH, "What is 6 * 7?", null, null, "test", "42");

    private static TeacherOutput ok(String teacher, String answer, double confidence, Double meanLogprob) {
        return new TeacherOutput(SchemaVersion.CURRENT, "q", QUERY, teacher, 4, TeacherStatus.OK, "r of " + teacher,
                answer, Map.of(), confidence, Usage.NONE, 1, 1, null, null, 0, meanLogprob);
    }

    private static TeacherOutput failed(String teacher) {
        return new TeacherOutput(SchemaVersion.CURRENT, "q", QUERY, teacher, 4, TeacherStatus.FAILED, null, null,
                Map.of(), 0.99, Usage.NONE, 1, 3, "HTTP 503");
    }

    private static List<String> teachers(List<TeacherOutput> kept) {
        return kept.stream().map(TeacherOutput::teacher).toList();
    }

    // a: confident and right; b: confident and wrong; c: unsure and right; d: failed
    private static final List<TeacherOutput> POOL = List.of(ok("a", "42", 0.97, -0.01), ok("b", "41", 0.96, -0.40),
            ok("c", "42.0", 0.50, -0.02), failed("d"));

    @Test
    void confidenceKeepsOkOutputsAtOrAboveTheThreshold() {
        assertEquals(List.of("a", "b"), teachers(new QualityCriterion.Confidence(0.95).keep(POOL)));
        assertEquals(List.of("a"), teachers(new QualityCriterion.Confidence(0.97).keep(POOL)));
    }

    @Test
    void meanLogprobKeepsRepliesWhoseGeometricMeanTokenProbabilityReachesTheThreshold() {
        // exp(-0.01) = 0.990, exp(-0.40) = 0.670, exp(-0.02) = 0.980
        assertEquals(List.of("a", "c"), teachers(new QualityCriterion.MeanLogprob(0.95).keep(POOL)));
    }

    @Test
    void meanLogprobNeverKeepsAnOutputWithoutLogprobs() {
        List<TeacherOutput> without = List.of(ok("a", "42", 0.99, null));
        assertEquals(List.of(), new QualityCriterion.MeanLogprob(0.0).keep(without));
    }

    @Test
    void majorityAnswerKeepsOutputsAgreeingWithMoreThanHalfOfTheTeachersAsked() {
        // of 4 teachers asked, a and c say 42 (42.0 is the same number): two of four is no majority
        assertEquals(List.of(), new QualityCriterion.MajorityAnswer().keep(POOL));
        List<TeacherOutput> three = List.of(ok("a", "42", 0.2, null), ok("b", "41", 0.9, null), ok("c", "42.0", 0.1, null),
                ok("e", "42", 0.1, null));
        assertEquals(List.of("a", "c", "e"), teachers(new QualityCriterion.MajorityAnswer().keep(three)));
    }

    @Test
    void anyOkKeepsEveryAnsweredOutputWhateverItsConfidence() {
        assertEquals(List.of("a", "b", "c"), teachers(new QualityCriterion.AnyOk().keep(POOL)));
    }
}
