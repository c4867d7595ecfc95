package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.ChatMessage;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TripleGenerationTest {

    private static final Rubric MATH = new Rubric(TaskKind.MATH, "s", "{question}",
            Map.of("correctness", 0.6, "reasoning", 0.25, "arithmetic", 0.15));
    private static final Query QUERY = Query.of("q1", TaskKind.MATH, "2 + 3?", null, null, "test", "5");

    /** Replies in order; records every message list it was sent. */
    private static final class ScriptedChat implements Chat {
        final Deque<String> replies;
        final List<List<ChatMessage>> sent = new ArrayList<>();

        ScriptedChat(String... replies) {
            this.replies = new ArrayDeque<>(List.of(replies));
        }

        @Override
        public Completion complete(List<ChatMessage> messages) {
            sent.add(List.copyOf(messages));
            return new Completion(replies.removeFirst(), new Usage(10, 5), 7, 2);
        }
    }

    @Test
    void okRecordCarriesOurConfidenceTheNormalisedAnswerAndTheUsage() throws TeacherCallFailed {
        ScriptedChat chat = new ScriptedChat("{\"rationale\": \"2+3=5\", \"answer\": \"5 apples\", "
                + "\"factors\": {\"correctness\": 1.0, \"reasoning\": 0.8, \"arithmetic\": 0.6}, \"confidence\": 0.2}");
        TeacherOutput out = new TripleGeneration(2).generate(QUERY, MATH, "t1", 3, chat);
        out.validate();
        assertEquals(TeacherStatus.OK, out.status());
        assertEquals("5", out.answer());
        assertEquals(0.6 + 0.25 * 0.8 + 0.15 * 0.6, out.confidence(), 1e-12, "computed by us, not the model's own number");
        assertEquals(new Usage(10, 5), out.usage());
        assertEquals(2, out.attempts());
        assertEquals(3, out.teacherCount());
    }

    @Test
    void anUnreadableReplyIsReAskedWithTheReasonAndTheReplyInTheConversation() throws TeacherCallFailed {
        ScriptedChat chat = new ScriptedChat("{\"rationale\": \"cut off", "{\"rationale\": \"r\", \"answer\": \"5\"}");
        TeacherOutput out = new TripleGeneration(2).generate(QUERY, MATH, "t1", 3, chat);
        assertEquals(TeacherStatus.OK, out.status());
        assertEquals(0.0, out.confidence(), "no factors and no score: c = 0");
        List<ChatMessage> reask = chat.sent.get(1);
        assertEquals(4, reask.size());
        assertEquals("assistant", reask.get(2).role());
        assertTrue(reask.get(3).content().contains("not closed"), reask.get(3).content());
        assertEquals(new Usage(20, 10), out.usage(), "both replies are accounted");
        assertEquals(4, out.attempts());
    }

    @Test
    void anOverallScoreIsUsedWhenNoFactorsAreGiven() throws TeacherCallFailed {
        ScriptedChat chat = new ScriptedChat("Rationale: 2+3\nAnswer: 5\nscore: 0.85");
        assertEquals(0.85, new TripleGeneration(0).generate(QUERY, MATH, "t1", 3, chat).confidence(), 1e-12);
    }

    @Test
    void afterTheLastReAskTheRecordIsUnparseableWithTheRawText() throws TeacherCallFailed {
        ScriptedChat chat = new ScriptedChat("no idea", "still no idea", "really no idea");
        TeacherOutput out = new TripleGeneration(2).generate(QUERY, MATH, "t1", 3, chat);
        out.validate();
        assertEquals(TeacherStatus.UNPARSEABLE, out.status());
        assertEquals("really no idea", out.rationale());
        assertNull(out.answer());
        assertTrue(out.error().startsWith("unparseable after 3 replies"), out.error());
        assertEquals(3, chat.sent.size());
    }

    @Test
    void aFailedCallBecomesAFailedRecordWithTheErrorAndWhatItCost() throws TeacherCallFailed {
        Chat failing = messages -> {
            throw new TeacherCallFailed(TeacherCallFailed.Reason.GAVE_UP, "gave up after 4 attempts; last error: HTTP 500",
                    new Usage(3, 0), 900, 4);
        };
        TeacherOutput out = new TripleGeneration(2).generate(QUERY, MATH, "t1", 3, failing);
        out.validate();
        assertEquals(TeacherStatus.FAILED, out.status());
        assertEquals("gave up after 4 attempts; last error: HTTP 500", out.error());
        assertEquals(4, out.attempts());
        assertEquals(900, out.latencyMs());
        assertEquals(new Usage(3, 0), out.usage());
    }

    @Test
    void aSpentBudgetMakesNoRecordSoTheQueryCanWaitForMore() {
        Chat spent = messages -> {
            throw new TeacherCallFailed(TeacherCallFailed.Reason.BUDGET_SPENT, "budget of 1.0 USD for teacher t1 is spent",
                    Usage.NONE, 0, 0);
        };
        TeacherCallFailed thrown = assertThrows(TeacherCallFailed.class,
                () -> new TripleGeneration(2).generate(QUERY, MATH, "t1", 3, spent));
        assertEquals(TeacherCallFailed.Reason.BUDGET_SPENT, thrown.reason());
    }
}
