package io.twt.compression.domain;

import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.CompressionPrompt;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentDraft;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one student draft into its compressed rationale by a method of paper table 6: teacher-guided (ask the
 * draft's teacher to rewrite its rationale for this student, check the rewrite, re-ask once, else keep the original
 * and say so), compressor (the same, asking another teacher), fixed-length truncation, or none. A draft that names
 * its method (an experiment's recipe) is compressed by it; any other by the configured one.
 */
public final class RationaleCompressor {

    /** The record to emit and why teacher attempts were turned down (empty when the first was accepted). */
    public record Outcome(CompressedRationale compressed, List<String> rejections) {
    }

    private final CompressionMethod method;
    private final TeacherChat teachers;
    private final RewriteCheck check;
    private final TokenCounter counter;
    private final int attempts;
    private final int fixedLengthTokens;

    /**
     * @param attempts          teacher calls per draft before falling back (the first ask plus re-asks)
     * @param fixedLengthTokens the budget of the fixed-length baseline, in student tokens
     */
    public RationaleCompressor(CompressionMethod method, TeacherChat teachers, TokenCounter counter,
                               int attempts, int fixedLengthTokens) {
        if (method == CompressionMethod.FALLBACK_ORIGINAL || method == CompressionMethod.COMPRESSOR) {
            throw new IllegalArgumentException(method.wire() + " is not a method to configure: "
                    + (method == CompressionMethod.COMPRESSOR ? "a draft names its compressor" : "it is an outcome"));
        }
        this.method = method;
        this.teachers = teachers;
        this.counter = counter;
        this.check = new RewriteCheck(counter);
        this.attempts = attempts;
        this.fixedLengthTokens = fixedLengthTokens;
    }

    public Outcome compress(StudentDraft draft) {
        String original = draft.teacherRationale().strip();
        int originalTokens = counter.count(original);
        CompressionMethod asked = draft.compression() != null ? draft.compression() : method;
        return switch (asked) {
            case NONE -> new Outcome(record(draft, original, CompressionMethod.NONE, originalTokens, originalTokens), List.of());
            case FIXED_LENGTH -> {
                // a draft that asks for it is cut to its student's own output length; else to the configured budget
                int budget = draft.compression() != null ? Math.max(1, draft.studentTokens()) : fixedLengthTokens;
                String truncated = FixedLengthTruncation.truncate(original, budget, counter);
                yield new Outcome(record(draft, truncated, CompressionMethod.FIXED_LENGTH, originalTokens,
                        counter.count(truncated)), List.of());
            }
            case COMPRESSOR -> rewrite(draft, draft.compressor(), CompressionMethod.COMPRESSOR, original, originalTokens);
            case TEACHER_GUIDED, FALLBACK_ORIGINAL ->
                    rewrite(draft, draft.teacher(), CompressionMethod.TEACHER_GUIDED, original, originalTokens);
        };
    }

    /** Asks {@code rewriter} to rewrite the rationale for this student; {@code accepted}: the method of an accepted rewrite. */
    private Outcome rewrite(StudentDraft draft, String rewriter, CompressionMethod accepted, String original,
                            int originalTokens) {
        List<String> rejections = new ArrayList<>();
        var messages = CompressionPrompt.messages(draft.query(), original, draft.studentOutput(), draft.answer());
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String reply;
            try {
                reply = teachers.chat(rewriter, messages);
            } catch (TeacherChat.TeacherCallException e) {
                rejections.add("CALL_FAILED: " + e.getMessage());
                continue;
            }
            RewriteCheck.Verdict verdict = check.judge(reply, original, draft.answer(), draft.query().task());
            if (verdict.accepted()) {
                return new Outcome(record(draft, verdict.rationale(), accepted,
                        originalTokens, verdict.tokens()), rejections);
            }
            rejections.add(verdict.rejection() + ": " + verdict.detail());
        }
        return new Outcome(record(draft, original, CompressionMethod.FALLBACK_ORIGINAL, originalTokens, originalTokens),
                rejections);
    }

    private static CompressedRationale record(StudentDraft draft, String rationale, CompressionMethod method,
                                              int originalTokens, int compressedTokens) {
        return new CompressedRationale(SchemaVersion.CURRENT, draft.round(), draft.queryId(), draft.teacher(),
                rationale, method, originalTokens, compressedTokens);
    }
}
