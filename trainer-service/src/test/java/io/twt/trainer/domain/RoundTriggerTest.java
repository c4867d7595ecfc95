package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundTriggerTest {

    private final RoundTrigger trigger = new RoundTrigger(100);

    @Test
    void enoughNewQueriesStartARound() {
        assertFalse(trigger.shouldStart(99, 0, false));
        assertTrue(trigger.shouldStart(100, 0, false));
        assertFalse(trigger.shouldStart(199, 100, false));
        assertTrue(trigger.shouldStart(230, 100, false));
    }

    @Test
    void requestStartsARoundOnAnythingNewButNotOnTheSameData() {
        assertTrue(trigger.shouldStart(101, 100, true));
        assertFalse(trigger.shouldStart(100, 100, true));
    }
}
