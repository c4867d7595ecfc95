package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);

    private static final String GOOD = """
            {"schemaVersion":1,"id":"q-1","task":"math","text":"What is 2+3?","source":"test",
             "createdAt":"2026-11-28T00:00:00Z"}""";

    private static String reasonFor(String json) {
        return assertThrows(InvalidRecordException.class, () -> QUERIES.decode(json)).reason();
    }

    @Test
    void decodesAValidQuery() {
        Query query = QUERIES.decode(GOOD);
        assertEquals("q-1", query.id());
        assertEquals(TaskKind.MATH, query.task());
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), query.createdAt());
    }

    @Test
    void invalidJsonIsRejectedWithReason() {
        assertTrue(reasonFor("{\"schemaVersion\":1, \"id\": ").startsWith("invalid JSON"), reasonFor("{\"id\": "));
        assertTrue(reasonFor("not json at all").contains("invalid JSON"));
    }

    @Test
    void emptyRecordIsRejected() {
        assertEquals("empty record: no JSON value", reasonFor(""));
        assertThrows(InvalidRecordException.class, () -> QUERIES.decode(new byte[0]));
    }

    @Test
    void missingFieldIsNamed() {
        assertEquals("missing field 'text'", reasonFor(GOOD.replace("\"text\":\"What is 2+3?\",", "")));
        assertEquals("missing field 'schemaVersion'", reasonFor(GOOD.replace("\"schemaVersion\":1,", "")));
    }

    @Test
    void wrongTypedFieldIsNamed() {
        String reason = reasonFor(GOOD.replace("\"schemaVersion\":1", "\"schemaVersion\":\"one\""));
        assertTrue(reason.contains("schemaVersion"), reason);
        String textAsNumber = reasonFor(GOOD.replace("\"What is 2+3?\"", "42"));
        assertTrue(textAsNumber.contains("text"), textAsNumber);
        String choicesAsString = reasonFor(GOOD.replace("\"source\"", "\"choices\":\"A\",\"source\""));
        assertTrue(choicesAsString.contains("choices"), choicesAsString);
    }

    @Test
    void emptyTextIsRejected() {
        assertEquals("field 'text' is empty", reasonFor(GOOD.replace("What is 2+3?", "   ")));
    }

    @Test
    void oversizedTextIsRejected() {
        String huge = "x".repeat(Check.MAX_TEXT_CHARS + 1);
        String reason = reasonFor(GOOD.replace("What is 2+3?", huge));
        assertTrue(reason.contains("more than the limit"), reason);
    }

    @Test
    void unknownTaskKindIsRejected() {
        assertEquals("unknown task kind 'poetry' (expected code, mcq or math)",
                reasonFor(GOOD.replace("\"math\"", "\"poetry\"")));
    }

    @Test
    void multipleChoiceNeedsChoices() {
        assertEquals("missing field 'choices'", reasonFor(GOOD.replace("\"math\"", "\"mcq\"")));
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        assertEquals("q-1", QUERIES.decode(GOOD.replace("\"source\"", "\"addedLater\":true,\"source\"")).id());
    }

    @Test
    void everyRecordSurvivesARoundTrip() {
        Query query = Query.of("q-7", TaskKind.MCQ, "Pick one", List.of("a", "b", "c", "d", "e"), null, "lab", "C");
        TeacherOutput output = new TeacherOutput(1, "q-7", query, "terse", 3, TeacherStatus.OK, "because", "C",
                Map.of("correctness", 0.9), 0.96, new Usage(10, 20), 12, 1, null);
        assertEquals(output, roundTrip(output));
        RationaleEmbedding embedding = new RationaleEmbedding(1, "q-7", "terse", "all-MiniLM-L6-v2", new float[]{0.6f, 0.8f});
        assertArrayEquals(embedding.vector(), roundTrip(embedding).vector());
        DistillSampleSet set = new DistillSampleSet(1, "q-7", query, List.of(new DistillSample("terse", "r", "C", 0.97)),
                null, 1, 3);
        assertEquals(set, roundTrip(set));
        Rejection rejection = new Rejection(1, "q-7", Rejection.Reason.ALL_FAILED, "3 of 3 failed");
        assertEquals(rejection, roundTrip(rejection));
        StudentDraft draft = new StudentDraft(1, 0, "q-7", query, "terse", "because", "C", "C", 1);
        assertEquals(draft, roundTrip(draft));
        CompressedRationale compressed = new CompressedRationale(1, 0, "q-7", "terse", "b/c", CompressionMethod.TEACHER_GUIDED, 5, 3);
        assertEquals(compressed, roundTrip(compressed));
        assertTrue(RecordCodec.of(CompressedRationale.class).encodeString(compressed).contains("\"teacher-guided\""));
        ModelVersion version = new ModelVersion(1, 0, 1, "twt", "lab-student", "/store/r0/s1", 10, 100, 1.5, 3.0, 42);
        assertEquals(version, roundTrip(version));
        EvalReport report = new EvalReport(1, 0, 1, "twt", "student", TaskKind.MATH, "accuracy", 0.5, 10, 4.2,
                Map.of("8", 10), null, "/models/base");
        assertEquals(report, roundTrip(report));
    }

    @Test
    void aModelVersionWrittenBeforeMaxCompletionTokensStillReads() {
        ModelVersion old = RecordCodec.of(ModelVersion.class).decode("""
                {"schemaVersion":1,"round":1,"stage":2,"recipe":"twt","baseModel":"lab-student","adapterUri":"/a",
                 "trainExamples":10,"trainTokens":100,"loss":1.5,"seconds":3.0}""");
        assertEquals(null, old.maxCompletionTokens());
    }

    @Test
    void anEvalReportWrittenBeforeBaseModelStillReads() {
        EvalReport old = RecordCodec.of(EvalReport.class).decode("""
                {"schemaVersion":1,"round":0,"stage":0,"recipe":"vanilla","model":"vanilla","task":"math",
                 "metric":"accuracy","value":0.1,"n":40,"avgOutputTokens":3.0}""");
        assertEquals(null, old.baseModel());
    }

    @Test
    void aTeacherOutputWrittenBeforeReasoningAndRedrivesStillReads() {
        TeacherOutput old = RecordCodec.of(TeacherOutput.class).decode("""
                {"schemaVersion":1,"queryId":"q-1","query":%s,"teacher":"terse","teacherCount":3,"status":"OK",
                 "rationale":"2+3=5","answer":"5","factors":{"correctness":0.9},"confidence":0.9,
                 "usage":{"promptTokens":10,"completionTokens":5},"latencyMs":12,"attempts":1}""".formatted(GOOD));
        assertEquals(null, old.reasoning());
        assertEquals(0, old.redrive());
    }

    @Test
    void aRedrivenOutputKeepsItsReasoningAndNumber() {
        Query query = QUERIES.decode(GOOD);
        TeacherOutput output = new TeacherOutput(1, "q-1", query, "r1", 3, TeacherStatus.OK, "2+3=5", "5", Map.of(),
                0.9, new Usage(10, 5), 12, 1, null, "<think>add them</think>", 2);
        assertEquals(output, roundTrip(output));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Validated> T roundTrip(T value) {
        RecordCodec<T> codec = RecordCodec.of((Class<T>) value.getClass());
        return codec.decode(codec.encode(value));
    }
}
