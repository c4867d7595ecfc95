package io.twt.lab.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twt.common.ChatMessage;
import io.twt.common.CompressionPrompt;
import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabTeacherTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void eachPersonaIsWrongAboutAsOftenAsItsErrorRateAndTheSameQuestionGetsTheSameAnswer() throws Exception {
        List<Query> queries = new ArrayList<>(LabTasks.generate(TaskKind.MATH, Split.TRAIN, 200, 11));
        queries.addAll(LabTasks.generate(TaskKind.MCQ, Split.TRAIN, 200, 11));
        for (Persona persona : Persona.ROSTER) {
            int wrong = 0;
            for (Query query : queries) {
                String reply = LabTeacher.answer(persona, messages(query), null);
                assertEquals(reply, LabTeacher.answer(persona, messages(query), null), "deterministic per question");
                if (!LabTeacher.triple(reply).path("answer").asText().equals(query.gold())) {
                    wrong++;
                }
            }
            double rate = wrong / (double) queries.size();
            assertTrue(Math.abs(rate - persona.errorRate()) < 0.06, persona.name() + " wrong in " + rate);
        }
    }

    @Test
    void confidenceAtLeast095KeepsMostlyRightAnswersButRatingsOfRightAndWrongOverlap() throws Exception {
        List<Query> queries = new ArrayList<>(LabTasks.generate(TaskKind.MATH, Split.TRAIN, 300, 12));
        queries.addAll(LabTasks.generate(TaskKind.MCQ, Split.TRAIN, 300, 12));
        int all = 0, right = 0, kept = 0, keptRight = 0;
        double lowestRight = 1, highestWrong = 0;
        for (Persona persona : Persona.ROSTER) {
            for (Query query : queries) {
                JsonNode triple = LabTeacher.triple(LabTeacher.answer(persona, messages(query), null));
                double c = 0;
                List<String> names = LabTeacher.DEFAULT_FACTORS.get(query.task());
                for (String factor : names) {
                    c += triple.path("factors").path(factor).asDouble() / names.size();
                }
                boolean isRight = triple.path("answer").asText().equals(query.gold());
                all++;
                right += isRight ? 1 : 0;
                if (c >= 0.95) {
                    kept++;
                    keptRight += isRight ? 1 : 0;
                }
                lowestRight = isRight ? Math.min(lowestRight, c) : lowestRight;
                highestWrong = isRight ? highestWrong : Math.max(highestWrong, c);
            }
        }
        double shareRight = right / (double) all;
        double shareRightKept = keptRight / (double) kept;
        assertTrue(shareRightKept >= 0.93 && shareRightKept > shareRight + 0.08,
                "right among all " + shareRight + ", among c >= 0.95 " + shareRightKept);
        assertTrue(kept > all / 4, "the threshold keeps a fair share: " + kept + " of " + all);
        assertTrue(highestWrong > lowestRight, "right and wrong ratings overlap");
    }

    @Test
    void factorNamesComeFromTheRequestSchemaWhenThereIsOne() throws Exception {
        JsonNode format = MAPPER.readTree("""
                {"type": "json_schema", "json_schema": {"name": "t", "schema": {"type": "object", "properties": {
                  "factors": {"type": "object", "properties": {"soundness": {"type": "number"}, "clarity": {"type": "number"}}}}}}}
                """);
        Query query = LabTasks.generate(TaskKind.MATH, Split.TRAIN, 1, 1).getFirst();
        JsonNode factors = LabTeacher.triple(LabTeacher.answer(Persona.ROSTER.getFirst(), messages(query), format)).path("factors");
        assertEquals(List.of("soundness", "clarity"), iterate(factors));
    }

    @Test
    void theCompressionRequestGetsAShorterRationaleThatKeepsTheResult() {
        Query query = LabTasks.generate(TaskKind.MATH, Split.TRAIN, 1, 2).getFirst();
        String original = "Let me think it through. First, we read the problem carefully and note every number. "
                + "Then, 6 boxes of 4 pens make 6 x 4 = 24 pens. Finally, giving away 5 leaves 24 - 5 = 19.";
        List<ChatMessage> request = CompressionPrompt.messages(query, original, "24 - 5 = 19\n#### 19", "19");
        String rewritten = LabTeacher.answer(Persona.ROSTER.get(2), request, null);
        assertTrue(rewritten.length() < original.length() / 2, rewritten);
        assertTrue(rewritten.contains("24 - 5 = 19"), rewritten);
        assertTrue(!rewritten.contains("{") && !rewritten.contains("####"), "plain text without answer line: " + rewritten);
    }

    private static List<String> iterate(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<ChatMessage> messages(Query query) {
        return List.of(ChatMessage.system("Answer with JSON."), ChatMessage.user(StudentPrompt.prompt(query)));
    }
}
