package io.twt.lab.task;

/** One step of a worked solution: a sentence (step-by-step and narrative teachers) and bare working (terse). */
public record Step(String sentence, String working) {
}
