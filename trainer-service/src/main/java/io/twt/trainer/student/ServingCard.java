package io.twt.trainer.student;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.Json;
import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lm.config.GenerationConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code serving.json} beside a stage's weights: what a user needs to serve them elsewhere. The base model, the name
 * the pipeline registers the adapter under, the prompt format the student was trained on (raw text for
 * {@code /v1/completions}; for chat, a template that joins the messages' contents), the stop strings, the paper's
 * inference settings, and the command lines for {@code ./twt lm serve} and vLLM.
 */
final class ServingCard {

    /** vLLM's accepted --max-lora-rank values (its LoRAConfig). */
    private static final List<Integer> VLLM_LORA_RANKS = List.of(8, 16, 32, 64, 128, 256, 320, 512);
    static final String FILE = "serving.json";
    static final String CHAT_TEMPLATE = "{% for message in messages %}{{ message['content'] }}{% endfor %}";

    private ServingCard() {
    }

    /** @param loraRank the adapter's rank, null for full weights */
    static void write(Path dir, Path baseModel, String servedName, Integer loraRank) {
        ObjectNode card = Json.MAPPER.createObjectNode();
        String weights = dir.getParent().resolve(dir.getFileName().toString().replace(".partial", "")).toString();
        card.put("baseModel", baseModel.toString());
        card.put("weights", loraRank == null ? "full" : "lora");
        card.put("servedName", servedName);
        ObjectNode prompt = card.putObject("promptFormat");
        prompt.put("endpoint", "/v1/completions");
        prompt.put("addSpecialTokens", true);
        prompt.put("description", "the raw student prompt, no chat template: 'Task: ' (code), 'Question: ' (multiple choice, "
                + "choices as 'A. ...' lines) or 'Problem: ' (math), the query, then 'Solution:\\n'; the answer follows '"
                + StudentPrompt.ANSWER_MARK + "'");
        ObjectNode examples = prompt.putObject("examples");
        examples.put("code", StudentPrompt.prompt(Query.of("example", TaskKind.CODE, "Write a function add(a, b).",
                null, List.of("assert add(1, 2) == 3"), "serving.json", null)));
        examples.put("mcq", StudentPrompt.prompt(Query.of("example", TaskKind.MCQ, "Which is a fruit?",
                List.of("apple", "bus"), null, "serving.json", null)));
        examples.put("math", StudentPrompt.prompt(Query.of("example", TaskKind.MATH, "What is 2 plus 3?", null, null,
                "serving.json", null)));
        prompt.put("chatTemplate", CHAT_TEMPLATE);
        ArrayNode stop = card.putArray("stop");
        StudentPrompt.STOPS.forEach(stop::add);
        GenerationConfig preset = GenerationConfig.paperPreset();
        card.putObject("generation").put("temperature", preset.temperature()).put("top_p", preset.topP())
                .put("max_tokens", preset.maxNewTokens());
        if (loraRank == null) {
            card.put("lmServe", "./twt lm serve --model " + weights);
            card.put("vllmServe", "vllm serve " + weights);
        } else {
            int maxRank = VLLM_LORA_RANKS.stream().filter(r -> r >= loraRank).findFirst().orElse(loraRank);
            card.put("lmServe", "./twt lm serve --model " + baseModel + " --adapter " + servedName + "=" + weights);
            card.put("vllmServe", "VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve " + baseModel + " --enable-lora --max-lora-rank "
                    + maxRank + " --lora-modules " + servedName + "=" + weights);
        }
        try {
            Files.writeString(dir.resolve(FILE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(card));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }
}
