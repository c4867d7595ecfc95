package io.twt.gateway.domain;

import io.twt.common.ChatMessage;
import io.twt.common.Check;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.common.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks one teacher for the (rationale, answer, factors) triple of one query and turns whatever happens into
 * exactly one {@link TeacherOutput}: OK with c = sum of w_j * m_j computed here from the factors; UNPARSEABLE
 * with the raw text after the configured re-asks; FAILED with the error after the last attempt. A spent budget
 * makes no record: it is thrown, so that the query waits for more budget instead of being decided as lost.
 */
public final class TripleGeneration {

    private final int maxReasks;

    public TripleGeneration(int maxReasks) {
        if (maxReasks < 0) {
            throw new IllegalArgumentException("max re-asks must be >= 0: " + maxReasks);
        }
        this.maxReasks = maxReasks;
    }

    public TeacherOutput generate(Query query, Rubric rubric, String teacher, int teacherCount, Chat chat)
            throws TeacherCallFailed {
        List<ChatMessage> messages = new ArrayList<>(rubric.messages(query));
        Usage usage = Usage.NONE;
        long latencyMs = 0;
        int attempts = 0;
        for (int ask = 0; ; ask++) {
            Completion completion;
            try {
                completion = chat.complete(messages);
            } catch (TeacherCallFailed e) {
                if (e.reason() == TeacherCallFailed.Reason.BUDGET_SPENT) {
                    throw e;
                }
                return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, teacherCount,
                        TeacherStatus.FAILED, null, null, Map.of(), 0.0, usage.plus(e.usage()),
                        latencyMs + e.latencyMs(), attempts + e.attempts(), e.getMessage());
            }
            usage = usage.plus(completion.usage());
            latencyMs += completion.latencyMs();
            attempts += completion.attempts();
            ParseOutcome outcome = TripleParser.parse(completion.content(), rubric.factorNames());
            if (outcome instanceof ParseOutcome.Parsed(Triple triple)) {
                return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, teacherCount,
                        TeacherStatus.OK, limited(triple.rationale()), limited(AnswerForm.normalise(query, triple.answer())),
                        triple.factors(), confidence(rubric, triple), usage, latencyMs, attempts, null,
                        limited(completion.reasoning()), 0, completion.meanLogprob());
            }
            String reason = ((ParseOutcome.Unparseable) outcome).reason();
            if (ask == maxReasks) {
                return new TeacherOutput(SchemaVersion.CURRENT, query.id(), query, teacher, teacherCount,
                        TeacherStatus.UNPARSEABLE, limited(completion.content()), null, Map.of(), 0.0, usage, latencyMs,
                        attempts, "unparseable after " + (ask + 1) + " replies: " + reason, limited(completion.reasoning()), 0);
            }
            messages.add(new ChatMessage("assistant", completion.content() == null ? "" : completion.content()));
            messages.add(ChatMessage.user(reask(rubric, reason)));
        }
    }

    /** Our own c from the factors; a reply with only an overall score keeps that score; neither gives 0. */
    static double confidence(Rubric rubric, Triple triple) {
        if (!triple.factors().isEmpty()) {
            return rubric.confidence(triple.factors());
        }
        return triple.score() == null ? 0.0 : triple.score();
    }

    private static String reask(Rubric rubric, String reason) {
        return "I could not read your reply: " + reason + ". Reply again with exactly one JSON object and nothing "
                + "else: {\"rationale\": \"...\", \"answer\": \"...\", \"factors\": {"
                + String.join(", ", rubric.factorNames().stream().map(f -> "\"" + f + "\": <0.0-1.0>").toList()) + "}}";
    }

    /** Records refuse texts beyond {@link Check#MAX_TEXT_CHARS}; a runaway reply is cut rather than lost. */
    private static String limited(String text) {
        return text != null && text.length() > Check.MAX_TEXT_CHARS ? text.substring(0, Check.MAX_TEXT_CHARS) : text;
    }
}
