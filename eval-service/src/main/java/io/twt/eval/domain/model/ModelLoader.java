package io.twt.eval.domain.model;

import io.twt.common.StudentPrompt;
import io.twt.lm.config.GenerationConfig;
import java.nio.file.Path;

/** Loads an {@link EvaluatedModel}: a base model directory and, optionally, a PEFT adapter directory on top of it. */
@FunctionalInterface
public interface ModelLoader {

    /** The paper's inference preset (temperature 0, top-p 0.95), stopping where the student starts a new prompt. */
    GenerationConfig PRESET = GenerationConfig.paperPreset().withStop(StudentPrompt.STOPS);

    /**
     * @param servedName the adapter's model name where a served student registers it ({@code ModelVersion.servedName});
     *                   null for the base model alone
     */
    EvaluatedModel load(Path baseModel, Path adapterOrNull, String servedName);
}
