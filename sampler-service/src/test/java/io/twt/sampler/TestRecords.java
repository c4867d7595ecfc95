package io.twt.sampler;

import io.twt.common.Query;
import io.twt.common.RationaleEmbedding;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.util.Map;

/** Records as the gateway and the embedding service write them, for the sampler's tests. */
public final class TestRecords {

    private TestRecords() {
    }

    public static Query query(String id) {
        return Query.of(id, TaskKind.MATH, "What is 6 * 7?", null, null, "test", "42");
    }

    public static TeacherOutput ok(String queryId, String teacher, int teacherCount, double confidence) {
        return new TeacherOutput(SchemaVersion.CURRENT, queryId, query(queryId), teacher, teacherCount, TeacherStatus.OK,
                "rationale of " + teacher, "42", Map.of("correctness", confidence), confidence, new Usage(10, 20), 5, 1, null);
    }

    public static TeacherOutput failed(String queryId, String teacher, int teacherCount, TeacherStatus status) {
        return new TeacherOutput(SchemaVersion.CURRENT, queryId, query(queryId), teacher, teacherCount, status,
                status == TeacherStatus.UNPARSEABLE ? "raw text" : null, null, Map.of(), 0.0, Usage.NONE, 5, 3,
                status == TeacherStatus.FAILED ? "HTTP 503 after 3 attempts" : "no JSON object");
    }

    public static RationaleEmbedding embedding(String queryId, String teacher, float... vector) {
        return new RationaleEmbedding(SchemaVersion.CURRENT, queryId, teacher, "test-model", vector);
    }
}
