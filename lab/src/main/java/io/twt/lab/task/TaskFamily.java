package io.twt.lab.task;

import io.twt.common.TaskKind;
import java.util.Optional;
import java.util.Random;

/**
 * One shape of lab task. It generates tasks with their gold, and solves any task of its shape from text
 * that contains it (a teacher prompt), so a lab teacher in another process needs nothing but the prompt.
 */
public interface TaskFamily {

    TaskKind kind();

    GeneratedTask generate(Random random);

    /** Solves the task found in {@code text}; {@code mistakes} picks the wrong answer a teacher would give. */
    Optional<Solution> solve(String text, Random mistakes);
}
