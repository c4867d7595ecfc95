package io.twt.compression.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.ChatMessage;
import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.CompressionPrompt;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentDraft;
import io.twt.common.TaskKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RationaleCompressorTest {

    private static final String ORIGINAL = "Tom has 3 apples. He buys 4 more apples at the shop. 3 plus 4 makes 7 apples in total.";

    /** Replies in order; an exception in the queue is thrown as a failed call. */
    private static final class ScriptedTeacher implements TeacherChat {
        final Deque<Object> replies = new ArrayDeque<>();
        final List<String> askedTeachers = new ArrayList<>();
        final List<List<ChatMessage>> askedMessages = new ArrayList<>();

        ScriptedTeacher(Object... replies) {
            this.replies.addAll(List.of(replies));
        }

        @Override
        public String chat(String teacher, List<ChatMessage> messages) {
            askedTeachers.add(teacher);
            askedMessages.add(messages);
            Object reply = replies.removeFirst();
            if (reply instanceof RuntimeException e) {
                throw e;
            }
            return (String) reply;
        }
    }

    private static StudentDraft draft() {
        Query query = Query.of("q-1", TaskKind.MATH, "Tom has 3 apples and buys 4. How many?", null, null, "lab", "7");
        return new StudentDraft(SchemaVersion.CURRENT, 2, "q-1", query, "teacher-b", ORIGINAL, "7", "3+4=7\n#### 7", 6);
    }

    private static RationaleCompressor teacherGuided(TeacherChat teacher) {
        return new RationaleCompressor(CompressionMethod.TEACHER_GUIDED, teacher, TokenCounter.WORDS, 2, 64);
    }

    @Test
    void acceptedRewriteIsTeacherGuidedAndAsksTheDraftsTeacher() {
        ScriptedTeacher teacher = new ScriptedTeacher("3 + 4 = 7 apples.");
        RationaleCompressor.Outcome outcome = teacherGuided(teacher).compress(draft());
        CompressedRationale compressed = outcome.compressed();
        assertEquals(CompressionMethod.TEACHER_GUIDED, compressed.method());
        assertEquals("3 + 4 = 7 apples.", compressed.rationale());
        assertEquals(20, compressed.originalTokens());
        assertEquals(6, compressed.compressedTokens());
        assertEquals("2:q-1:teacher-b", compressed.key());
        assertEquals(List.of("teacher-b"), teacher.askedTeachers);
        CompressionPrompt.Sections sections = CompressionPrompt.parse(teacher.askedMessages.get(0).get(1).content());
        assertEquals(ORIGINAL, sections.originalRationale());
        assertEquals("3+4=7\n#### 7", sections.studentOutput());
        assertEquals("7", sections.answer());
    }

    @Test
    void rejectedFirstRewriteIsAskedAgainOnce() {
        ScriptedTeacher teacher = new ScriptedTeacher("3 + 4 = 8.\n#### 8", "3 + 4 = 7.");
        RationaleCompressor.Outcome outcome = teacherGuided(teacher).compress(draft());
        assertEquals(CompressionMethod.TEACHER_GUIDED, outcome.compressed().method());
        assertEquals("3 + 4 = 7.", outcome.compressed().rationale());
        assertEquals(1, outcome.rejections().size());
        assertTrue(outcome.rejections().get(0).startsWith("CONTRADICTS_ANSWER"));
    }

    @Test
    void twoBadRewritesFallBackToTheOriginalWithBothReasons() {
        ScriptedTeacher teacher = new ScriptedTeacher("", ORIGINAL + " Also, apples are red.");
        RationaleCompressor.Outcome outcome = teacherGuided(teacher).compress(draft());
        assertEquals(CompressionMethod.FALLBACK_ORIGINAL, outcome.compressed().method());
        assertEquals(ORIGINAL, outcome.compressed().rationale());
        assertEquals(outcome.compressed().originalTokens(), outcome.compressed().compressedTokens());
        assertEquals(2, outcome.rejections().size());
        assertTrue(outcome.rejections().get(0).startsWith("EMPTY"));
        assertTrue(outcome.rejections().get(1).startsWith("NOT_SHORTER"));
        assertEquals(2, teacher.askedTeachers.size());
    }

    @Test
    void failedCallsCountAsAttempts() {
        ScriptedTeacher teacher = new ScriptedTeacher(new TeacherChat.TeacherCallException("HTTP 503", null),
                new TeacherChat.TeacherCallException("HTTP 503", null));
        RationaleCompressor.Outcome outcome = teacherGuided(teacher).compress(draft());
        assertEquals(CompressionMethod.FALLBACK_ORIGINAL, outcome.compressed().method());
        assertTrue(outcome.rejections().get(1).startsWith("CALL_FAILED"));
    }

    @Test
    void fixedLengthTruncatesWithoutAskingAnyone() {
        ScriptedTeacher teacher = new ScriptedTeacher();
        RationaleCompressor compressor = new RationaleCompressor(CompressionMethod.FIXED_LENGTH, teacher, TokenCounter.WORDS, 2, 5);
        CompressedRationale compressed = compressor.compress(draft()).compressed();
        assertEquals(CompressionMethod.FIXED_LENGTH, compressed.method());
        assertEquals("Tom has 3 apples. He", compressed.rationale());
        assertEquals(5, compressed.compressedTokens());
        assertTrue(teacher.askedTeachers.isEmpty());
    }

    @Test
    void noneKeepsTheOriginal() {
        RationaleCompressor compressor = new RationaleCompressor(CompressionMethod.NONE, new ScriptedTeacher(), TokenCounter.WORDS, 2, 5);
        CompressedRationale compressed = compressor.compress(draft()).compressed();
        assertEquals(CompressionMethod.NONE, compressed.method());
        assertEquals(ORIGINAL, compressed.rationale());
    }

    @Test
    void fallbackIsNotAMethodToConfigure() {
        assertThrows(IllegalArgumentException.class, () -> new RationaleCompressor(CompressionMethod.FALLBACK_ORIGINAL,
                new ScriptedTeacher(), TokenCounter.WORDS, 2, 5));
    }

    private static StudentDraft draftAsking(CompressionMethod method, String compressor) {
        StudentDraft plain = draft();
        return new StudentDraft(plain.schemaVersion(), plain.round(), plain.queryId(), plain.query(), plain.teacher(),
                plain.teacherRationale(), plain.answer(), plain.studentOutput(), plain.studentTokens(), method, compressor);
    }

    @Test
    void aDraftNamingACompressorIsRewrittenByThatTeacherNotItsOwn() {
        ScriptedTeacher teacher = new ScriptedTeacher("3 + 4 = 7 apples.");
        CompressedRationale compressed = teacherGuided(teacher)
                .compress(draftAsking(CompressionMethod.COMPRESSOR, "teacher-c")).compressed();
        assertEquals(CompressionMethod.COMPRESSOR, compressed.method());
        assertEquals("3 + 4 = 7 apples.", compressed.rationale());
        assertEquals(List.of("teacher-c"), teacher.askedTeachers);
    }

    @Test
    void aDraftAskingForFixedLengthIsCutToItsStudentsOwnLength() {
        ScriptedTeacher teacher = new ScriptedTeacher();
        // the service is configured teacher-guided with a 64-token budget; the draft's 6 student tokens win
        CompressedRationale compressed = teacherGuided(teacher)
                .compress(draftAsking(CompressionMethod.FIXED_LENGTH, null)).compressed();
        assertEquals(CompressionMethod.FIXED_LENGTH, compressed.method());
        assertEquals("Tom has 3 apples. He buys", compressed.rationale());
        assertEquals(6, compressed.compressedTokens());
        assertTrue(teacher.askedTeachers.isEmpty());
    }

    @Test
    void compressorIsNotAMethodToConfigure() {
        assertThrows(IllegalArgumentException.class, () -> new RationaleCompressor(CompressionMethod.COMPRESSOR,
                new ScriptedTeacher(), TokenCounter.WORDS, 2, 5));
    }
}
