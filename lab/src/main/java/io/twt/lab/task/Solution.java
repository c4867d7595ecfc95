package io.twt.lab.task;

import io.twt.common.TaskKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A lab task worked out from its text: the steps and the right answer, and the plausible mistake a teacher
 * makes instead (the last step done wrong, leading to the wrong answer).
 */
public record Solution(TaskKind kind, List<Step> steps, String answer, Step wrongStep, String wrongAnswer) {

    public Solution {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a solution needs at least one step");
        }
    }

    public List<Step> wrongSteps() {
        List<Step> wrong = new ArrayList<>(steps.subList(0, steps.size() - 1));
        wrong.add(wrongStep);
        return wrong;
    }
}
