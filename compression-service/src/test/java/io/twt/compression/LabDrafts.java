package io.twt.compression;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.ChatMessage;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.StudentDraft;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lab.teacher.LabTeacher;
import io.twt.lab.teacher.Persona;
import java.util.ArrayList;
import java.util.List;

/** Student drafts over lab math tasks: each lab teacher's own rationale, and a terse stage-1-like student output. */
final class LabDrafts {

    private LabDrafts() {
    }

    static List<StudentDraft> drafts(int round, int queries, long seed) {
        List<StudentDraft> drafts = new ArrayList<>();
        for (Query query : LabTasks.generate(TaskKind.MATH, Split.TRAIN, queries, seed)) {
            for (Persona persona : Persona.ROSTER) {
                JsonNode triple = LabTeacher.triple(LabTeacher.answer(persona,
                        List.of(ChatMessage.user("Solve this problem.\nProblem: " + query.text())), null));
                String rationale = triple.get("rationale").asText();
                String answer = triple.get("answer").asText();
                String studentOutput = StudentPrompt.completion(rationale.split("(?<=\\.)\\s")[0], answer);
                drafts.add(new StudentDraft(SchemaVersion.CURRENT, round, query.id(), query, persona.name(), rationale, answer,
                        studentOutput, studentOutput.split("\\s+").length));
            }
        }
        return drafts;
    }
}
