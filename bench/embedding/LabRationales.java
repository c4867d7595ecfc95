import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.ChatMessage;
import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lab.teacher.LabTeacher;
import io.twt.lab.teacher.Persona;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lab queries answered by every lab teacher persona, as the gateway would record them (without HTTP). */
final class LabRationales {

    /** The gateway's default confidence weights (teacher-gateway application.properties, paper appendix C). */
    static final Map<TaskKind, Map<String, Double>> WEIGHTS = Map.of(
            TaskKind.CODE, Map.of("correctness", 0.5, "readability", 0.2, "efficiency", 0.2, "test_coverage", 0.1),
            TaskKind.MCQ, Map.of("correctness", 0.6, "reasoning", 0.25, "elimination", 0.15),
            TaskKind.MATH, Map.of("correctness", 0.6, "reasoning", 0.25, "arithmetic", 0.15));

    record Answer(Query query, String teacher, String rationale, String answer, double confidence) {
        boolean right() {
            return answer.equals(query.gold());
        }
    }

    private LabRationales() {
    }

    static List<Query> queries(int perKind, long seed) {
        List<Query> queries = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            queries.addAll(LabTasks.generate(kind, Split.TRAIN, perKind, seed));
        }
        return queries;
    }

    /** Every persona's answer to every query, grouped by query id in query order. */
    static Map<String, List<Answer>> answers(List<Query> queries) throws Exception {
        Map<String, List<Answer>> byQuery = new LinkedHashMap<>();
        for (Query query : queries) {
            List<Answer> answers = new ArrayList<>();
            for (Persona persona : Persona.ROSTER) {
                String reply = LabTeacher.answer(persona, List.of(ChatMessage.user(StudentPrompt.prompt(query))), null);
                JsonNode triple = LabTeacher.triple(reply);
                double confidence = 0;
                for (Map.Entry<String, Double> weight : WEIGHTS.get(query.task()).entrySet()) {
                    confidence += weight.getValue() * triple.path("factors").path(weight.getKey()).asDouble(0);
                }
                answers.add(new Answer(query, persona.name(), triple.path("rationale").asText(),
                        triple.path("answer").asText(), confidence));
            }
            byQuery.put(query.id(), answers);
        }
        return byQuery;
    }
}
