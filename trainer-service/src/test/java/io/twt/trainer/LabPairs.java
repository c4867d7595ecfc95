package io.twt.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.ChatMessage;
import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.Query;
import io.twt.common.SchemaVersion;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lab.teacher.LabTeacher;
import io.twt.lab.teacher.Persona;
import java.util.ArrayList;
import java.util.List;

/** What DCRS would put on twt.diverse-pairs for lab math tasks: two lab teachers' rationales per query. */
final class LabPairs {

    static final List<String> TEACHERS = List.of("lab-stepwise", "lab-narrative");

    private LabPairs() {
    }

    static List<DistillSampleSet> pairs(int queries, long seed) {
        List<DistillSampleSet> sets = new ArrayList<>();
        for (Query query : LabTasks.generate(TaskKind.MATH, Split.TRAIN, queries, seed)) {
            List<DistillSample> samples = new ArrayList<>();
            for (String teacher : TEACHERS) {
                JsonNode triple = LabTeacher.triple(LabTeacher.answer(Persona.named(teacher).orElseThrow(),
                        List.of(ChatMessage.user("Solve this problem.\nProblem: " + query.text())), null));
                samples.add(new DistillSample(teacher, triple.get("rationale").asText(), triple.get("answer").asText(), 0.96));
            }
            sets.add(new DistillSampleSet(SchemaVersion.CURRENT, query.id(), query, samples, 0.8, samples.size(), 3));
        }
        return sets;
    }
}
