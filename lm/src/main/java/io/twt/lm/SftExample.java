package io.twt.lm;

/**
 * One supervised fine-tuning example: the model reads prompt then completion, and the loss counts only the
 * completion's tokens (plus the eos token the trainer appends). See {@code io.twt.common.StudentPrompt}.
 */
public record SftExample(String prompt, String completion) {

    public SftExample {
        if (prompt == null || completion == null) {
            throw new IllegalArgumentException("prompt and completion are required");
        }
    }
}
