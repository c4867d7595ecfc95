package io.twt.lab.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.ChatMessage;
import io.twt.common.CompressionPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.task.Solution;
import io.twt.lab.task.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What a lab teacher says to a chat: for a lab task, the (rationale, answer, factors) triple as JSON in its
 * persona's style, right or wrong as its error rate decides; for a compression request, the rewritten
 * rationale as plain text. Everything is read from the messages; the same question to the same persona
 * always gets the same answer (as at temperature 0), so retries and re-asks do not reroll it.
 */
public final class LabTeacher {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The factor names the gateway's default prompts ask for, used when the request carries no JSON schema. */
    static final Map<TaskKind, List<String>> DEFAULT_FACTORS = Map.of(
            TaskKind.CODE, List.of("correctness", "readability", "efficiency", "test_coverage"),
            TaskKind.MCQ, List.of("correctness", "reasoning", "elimination"),
            TaskKind.MATH, List.of("correctness", "reasoning", "arithmetic"));

    private LabTeacher() {
    }

    /** The JSON object in a lab teacher's reply to a task, which comes bare, fenced or between sentences. */
    public static JsonNode triple(String reply) {
        int start = reply.indexOf('{');
        int end = reply.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("a lab teacher reply without a JSON triple: " + reply);
        }
        try {
            return MAPPER.readTree(reply.substring(start, end + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("a lab teacher reply without a JSON triple: " + reply, e);
        }
    }

    /**
     * The reply content of {@code persona} to {@code messages}; {@code responseFormat} is the request's
     * {@code response_format} (may be null), whose JSON schema names the factors to rate.
     */
    public static String answer(Persona persona, List<ChatMessage> messages, JsonNode responseFormat) {
        String question = firstUserMessage(messages);
        CompressionPrompt.Sections compression = CompressionPrompt.parse(question);
        if (compression != null) {
            return Compressor.rewrite(compression);
        }
        Attempt attempt = Attempt.of(persona, question);
        if (attempt.solution().isEmpty()) {
            return unknownTask(persona, factorNames(responseFormat, TaskKind.MATH));
        }
        Solution solution = attempt.solution().get();
        boolean right = attempt.right();
        Random random = attempt.random();
        List<Step> steps = right ? solution.steps() : solution.wrongSteps();
        String answer = right ? solution.answer() : solution.wrongAnswer();
        double level = persona.level(right, random);
        ObjectNode factors = MAPPER.createObjectNode();
        for (String factor : factorNames(responseFormat, solution.kind())) {
            factors.put(factor, Persona.factor(level, random));
        }
        return render(persona, persona.rationale(steps), answer, factors);
    }

    /**
     * The mean token log-probability of the persona's reply to these messages, for a request that asks for
     * {@code logprobs}. A model's token probabilities measure fluency more than correctness, so a wrong reply is
     * nearly as likely as a right one (mean -0.05 against -0.035, spread 0.02): a weaker signal than the
     * self-rated confidence factors, as the paper's table 5 finds for real teachers.
     */
    public static double meanLogprob(Persona persona, List<ChatMessage> messages) {
        String question = firstUserMessage(messages);
        Attempt attempt = Attempt.of(persona, question);
        Random noise = new Random((persona.name() + "\nlogprobs\n" + question).hashCode());
        double mean = attempt.solution().isPresent() && attempt.right() ? -0.035 : -0.05;
        return Math.min(-0.001, mean + 0.02 * noise.nextGaussian());
    }

    /** How the persona fares on a question, drawn from a generator seeded by both, so a reply is the same every time. */
    private record Attempt(Optional<Solution> solution, boolean right, Random random) {
        static Attempt of(Persona persona, String question) {
            Random random = new Random((persona.name() + "\n" + question).hashCode());
            Optional<Solution> solved = LabTasks.solve(question, random);
            boolean right = solved.isPresent() && random.nextDouble() >= persona.errorRate();
            return new Attempt(solved, right, random);
        }
    }

    private static String unknownTask(Persona persona, List<String> factorNames) {
        ObjectNode factors = MAPPER.createObjectNode();
        factorNames.forEach(f -> factors.put(f, 0.1));
        return render(persona, "This is not a task I can work out.", "unknown", factors);
    }

    private static String render(Persona persona, String rationale, String answer, ObjectNode factors) {
        ObjectNode triple = MAPPER.createObjectNode();
        triple.put("rationale", rationale);
        triple.put("answer", answer);
        triple.set("factors", factors);
        try {
            return persona.reply(MAPPER.writeValueAsString(triple), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(triple));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** The factor names in the request's JSON schema (properties of "factors"), else the defaults for the kind. */
    static List<String> factorNames(JsonNode responseFormat, TaskKind kind) {
        JsonNode properties = responseFormat == null ? null
                : responseFormat.path("json_schema").path("schema").path("properties").path("factors").path("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            return DEFAULT_FACTORS.get(kind);
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String firstUserMessage(List<ChatMessage> messages) {
        return messages.stream().filter(m -> "user".equals(m.role())).map(ChatMessage::content)
                .findFirst().orElse("");
    }
}
