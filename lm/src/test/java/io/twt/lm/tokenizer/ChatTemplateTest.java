package io.twt.lm.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Published chat templates (src/test/resources/chat) render the student's prompt and completion as transformers does. */
class ChatTemplateTest {

    private static final String PROMPT = "Problem: 2 + 3\nSolution:\n";
    private static final String COMPLETION = "2 + 3 = 5\n#### 5";

    private static ChatTemplate published(String model) {
        return ChatTemplate.read(Path.of("src/test/resources/chat", model, "tokenizer_config.json"));
    }

    @Test
    void phi35RendersUserTurnThenOpensTheAssistantTurn() {
        ChatTemplate phi = published("phi-3.5-mini-instruct");
        assertEquals("<|user|>\n" + PROMPT + "<|end|>\n<|assistant|>\n", phi.prompt(PROMPT));
        // add_generation_prompt false: the reply closes with <|end|> and the eos_token
        assertEquals(COMPLETION + "<|end|>\n<|endoftext|>", phi.completion(PROMPT, COMPLETION));
    }

    @Test
    void mistralWritesBosFromItsAddedTokenAndEndsTheReplyWithEos() {
        ChatTemplate mistral = published("mistral-7b-instruct-v0.2");
        assertEquals("<s>[INST] " + PROMPT + " [/INST]", mistral.prompt(PROMPT));
        assertEquals(COMPLETION + "</s>", mistral.completion(PROMPT, COMPLETION));
    }

    @Test
    void raiseExceptionInTheTemplateFailsWithItsMessage() {
        ChatTemplate mistral = published("mistral-7b-instruct-v0.2");
        List<Map<String, String>> twoUsers = List.of(Map.of("role", "user", "content", "a"),
                Map.of("role", "user", "content", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mistral.render(twoUsers, false));
        assertTrue(e.getMessage().contains("Conversation roles must alternate user/assistant"), e.getMessage());
    }

    @Test
    void checkpointsWithoutTemplateKeepThePlainFormat(@TempDir Path tmp) throws IOException {
        assertNull(ChatTemplate.read(tmp.resolve("tokenizer_config.json")));
        Path config = Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        assertNull(ChatTemplate.read(config));
    }

    @Test
    void namedTemplatesUseTheDefaultOne(@TempDir Path tmp) throws IOException {
        Path config = Files.writeString(tmp.resolve("tokenizer_config.json"), """
                {"eos_token": "</s>", "chat_template": [
                  {"name": "tool_use", "template": "tools"},
                  {"name": "default", "template": "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{% endfor %}{% if add_generation_prompt %}<assistant>{% else %}{{ eos_token }}{% endif %}"}]}
                """);
        ChatTemplate template = ChatTemplate.read(config);
        assertEquals("<user>hi<assistant>", template.prompt("hi"));
        assertEquals("yes</s>", template.completion("hi", "yes"));
    }
}
