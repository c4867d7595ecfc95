package io.twt.eval.domain.student;

import java.nio.file.Path;

/** Loads a student: a base model directory and, optionally, a PEFT adapter directory on top of it. */
@FunctionalInterface
public interface StudentLoader {

    Student load(Path baseModel, Path adapterOrNull);
}
