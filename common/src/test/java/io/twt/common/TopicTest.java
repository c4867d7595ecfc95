package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicTest {

    @Test
    void catalogueHoldsEveryTopicOfTheDesignWithItsDeadLetterTopic() {
        assertEquals(22, Topic.allNames().size());
        assertEquals(Topic.CleanupPolicy.COMPACT, Topic.byName("twt.teacher-spend").cleanup());
        assertTrue(Topic.allNames().contains("twt.queries.dlq"));
        assertEquals(Topic.CleanupPolicy.COMPACT, Topic.byName("twt.diverse-pairs").cleanup());
        assertEquals("round:queryId:teacher", Topic.STUDENT_DRAFTS.keyFormat());
    }

    @Test
    void keysFollowTheCatalogueFormat() {
        assertEquals("2:q-1:terse", Keys.draft(2, "q-1", "terse"));
        assertEquals("2:3", Keys.modelVersion(2, 3));
        assertEquals("2:3:mcq", Keys.evalReport(2, 3, TaskKind.MCQ));
    }

    @Test
    void eachTopicDecodesItsOwnRecordsAndRefusesAnotherType() {
        Rejection rejection = new Rejection(SchemaVersion.CURRENT, "q-1", Rejection.Reason.ALL_FAILED, "every teacher failed");
        RecordCodec<Rejection> codec = Topic.REJECTED_QUERIES.codec(Rejection.class);
        assertEquals(rejection, codec.decode(codec.encode(rejection)));
        assertThrows(IllegalArgumentException.class, () -> Topic.REJECTED_QUERIES.codec(Query.class));
    }
}
