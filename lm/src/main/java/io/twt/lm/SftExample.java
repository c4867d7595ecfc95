package io.twt.lm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One supervised fine-tuning example: the model reads prompt then completion, and the loss counts only the
 * completion's tokens (plus the eos token the trainer appends). See {@code io.twt.common.StudentPrompt}.
 *
 * @param task       the example's task in a multi-task set (Distilling step-by-step's label and rationale tasks);
 *                   null for plain SFT, one task
 * @param taskWeight the task's weight in the loss, each task averaged over its own tokens
 *                   ({@link io.twt.lm.train.TaskMeans}); give every example of a task the same
 */
public record SftExample(String prompt, String completion, String task, double taskWeight) {

    public SftExample {
        if (prompt == null || completion == null) {
            throw new IllegalArgumentException("prompt and completion are required");
        }
        if (!(taskWeight >= 0) || Double.isInfinite(taskWeight)) {
            throw new IllegalArgumentException("a task weight is a finite number >= 0, got " + taskWeight);
        }
    }

    /** An example of plain SFT. */
    public SftExample(String prompt, String completion) {
        this(prompt, completion, null, 1.0);
    }

    /**
     * A JSONL line as {@code lm train} reads it: {@code {"prompt", "completion"}}, or the conversational layout
     * {@code {"messages": [...]}} whose last message is the assistant's completion and whose earlier messages' contents,
     * joined as they are, are the prompt (how {@code lm serve} renders a chat). Optional {@code "task"} and
     * {@code "taskWeight"} (default 1) make it one task of a multi-task set. Other fields (metadata) are ignored.
     */
    public static SftExample fromJson(JsonNode line) {
        String task = line.path("task").isTextual() ? line.get("task").asText() : null;
        double taskWeight = line.path("taskWeight").isNumber() ? line.get("taskWeight").asDouble() : 1.0;
        JsonNode messages = line.get("messages");
        if (messages == null) {
            if (!line.path("prompt").isTextual() || !line.path("completion").isTextual()) {
                throw new IllegalArgumentException("a line needs \"prompt\" and \"completion\", or \"messages\": " + line);
            }
            return new SftExample(line.get("prompt").asText(), line.get("completion").asText(), task, taskWeight);
        }
        if (!messages.isArray() || messages.size() < 2 || !messages.get(messages.size() - 1).path("role").asText().equals("assistant")) {
            throw new IllegalArgumentException("\"messages\" must end with the assistant's message: " + line);
        }
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < messages.size() - 1; i++) {
            prompt.append(messages.get(i).path("content").asText());
        }
        return new SftExample(prompt.toString(), messages.get(messages.size() - 1).path("content").asText(), task, taskWeight);
    }
}
