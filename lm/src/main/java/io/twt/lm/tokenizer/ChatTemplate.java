package io.twt.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's chat template (tokenizer_config.json's {@code chat_template}, Jinja) rendered as transformers'
 * apply_chat_template renders it: messages of {role, content}, {@code bos_token}, {@code eos_token},
 * {@code add_generation_prompt}, {@code raise_exception}, blocks trimmed and left-stripped. The student's prompt is
 * one user message; its completion is the assistant's reply, i.e. what the whole conversation adds to the prompt.
 * The rendered text carries the template's special tokens, so it is tokenized without adding any.
 */
public final class ChatTemplate {

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    ChatTemplate(String template, String bosToken, String eosToken) {
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        // transformers renders with trim_blocks and lstrip_blocks (ImmutableSandboxedEnvironment)
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /** The chat template of a model folder's tokenizer_config.json, or null when it has none (the lab student). */
    public static ChatTemplate read(Path tokenizerConfigJson) {
        if (!Files.exists(tokenizerConfigJson)) {
            return null;
        }
        try {
            JsonNode config = new ObjectMapper().readTree(tokenizerConfigJson.toFile());
            JsonNode template = config.path("chat_template");
            if (template.isArray()) { // named templates ({name, template}); the default one is the chat template
                template = named(template, "default");
            }
            if (template.isMissingNode() || template.isNull()) {
                return null;
            }
            return new ChatTemplate(template.asText(), token(config.path("bos_token")), token(config.path("eos_token")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerConfigJson, e);
        }
    }

    private static JsonNode named(JsonNode templates, String name) {
        for (JsonNode entry : templates) {
            if (name.equals(entry.path("name").asText())) {
                return entry.path("template");
            }
        }
        throw new IllegalArgumentException("chat_template is a list without a '" + name + "' template");
    }

    /** bos_token / eos_token are a string or an AddedToken object {"content": ...}; absent means empty. */
    private static String token(JsonNode node) {
        return node.isObject() ? node.path("content").asText("") : node.isTextual() ? node.asText() : "";
    }

    /** The student prompt as one user turn, followed by the template's opening of the assistant's reply. */
    public String prompt(String userText) {
        return render(List.of(message("user", userText)), true);
    }

    /** The assistant's reply as the template writes it after {@link #prompt}: the conversation minus the prompt. */
    public String completion(String userText, String assistantText) {
        String prompt = prompt(userText);
        String conversation = render(List.of(message("user", userText), message("assistant", assistantText)), false);
        if (!conversation.startsWith(prompt)) {
            throw new IllegalStateException("the chat template does not render the prompt as a prefix of the "
                    + "conversation, so the completion cannot be cut from it; prompt: " + prompt);
        }
        return conversation.substring(prompt.length());
    }

    /** Renders messages (each {role, content}) as apply_chat_template(messages, add_generation_prompt) does. */
    public String render(List<Map<String, String>> messages, boolean addGenerationPrompt) {
        RenderResult result = jinjava.renderForResult(template, Map.of("messages", messages, "bos_token", bosToken,
                "eos_token", eosToken, "add_generation_prompt", addGenerationPrompt));
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException("chat template, line " + error.getLineno() + ": " + reason(error));
            }
        }
        return result.getOutput();
    }

    /** The innermost cause's message: Jinjava wraps what raise_exception threw in its own "Error invoking". */
    private static String reason(TemplateError error) {
        Throwable cause = error.getException();
        if (cause == null) {
            return error.getMessage();
        }
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private static Map<String, String> message(String role, String content) {
        return Map.of("role", role, "content", content);
    }

    /** Jinja's raise_exception(message) as transformers defines it: the template refuses the conversation. */
    public static String raiseException(String message) {
        throw new IllegalArgumentException(message);
    }
}
