package io.twt.lab.task;

import java.util.List;

/** A task as a family generates it: what the query shows, and its gold (for code, the reference solution). */
public record GeneratedTask(String text, List<String> choices, List<String> tests, String gold) {
}
