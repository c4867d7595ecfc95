package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
