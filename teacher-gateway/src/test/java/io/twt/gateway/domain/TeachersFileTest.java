package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TeachersFileTest {

    @Test
    void readsTheDesignSchema() {
        List<TeacherSpec> specs = TeachersFile.parse("""
                teachers:
                  - name: gpt-4o-mini
                    base-url: https://api.openai.com/v1/
                    model: gpt-4o-mini
                    api-key-env: OPENAI_API_KEY
                    kind: openai
                    max-concurrency: 8
                    requests-per-minute: 500
                    tokens-per-minute: 200000
                    timeout: 60s
                    price-per-1k-prompt: 0.00015
                    price-per-1k-completion: 0.0006
                    budget-usd: 50
                  - name: local
                    base-url: http://127.0.0.1:11434/v1
                    model: llama3.1
                    response-format: json-object
                """);
        TeacherSpec openai = specs.get(0);
        assertEquals("https://api.openai.com/v1", openai.baseUrl(), "trailing slash dropped");
        assertEquals(TeacherSpec.ApiKind.OPENAI, openai.kind());
        assertEquals(8, openai.maxConcurrency());
        assertEquals(500, openai.requestsPerMinute().getAsInt());
        assertEquals(200000, openai.tokensPerMinute().getAsInt());
        assertEquals(Duration.ofSeconds(60), openai.timeout());
        assertEquals(50.0, openai.budgetUsd().getAsDouble());
        assertEquals(0.00015 * 2 + 0.0006 * 1, openai.costUsd(2000, 1000), 1e-12);
        TeacherSpec local = specs.get(1);
        assertEquals(TeacherSpec.ResponseFormat.JSON_OBJECT, local.responseFormat());
        assertTrue(local.requestsPerMinute().isEmpty() && local.budgetUsd().isEmpty());
        assertEquals(4, local.maxConcurrency());
    }

    @Test
    void readsPerTeacherRequestSettingsAndPicksTheTokenFieldByModelFamily() {
        List<TeacherSpec> specs = TeachersFile.parse("""
                teachers:
                  - name: o3
                    base-url: https://api.openai.com/v1
                    model: o3-mini
                    reasoning-effort: high
                  - name: proxied
                    base-url: http://litellm:4000/v1
                    model: openai/gpt-5
                    token-limit-field: max_tokens
                    temperature: 1
                    top-p: 0.9
                    max-tokens: 300
                    extra-body: {metadata: {tags: [a, b]}, seed: 7}
                    extra-headers: {x-litellm-tags: twt}
                  - name: plain
                    base-url: http://vllm:8000/v1
                    model: Qwen/Qwen2.5-7B-Instruct
                """);
        RequestSettings o3 = specs.get(0).request();
        assertEquals(RequestSettings.TokenLimitField.MAX_COMPLETION_TOKENS, o3.tokenLimitField());
        assertEquals("high", o3.reasoningEffort());
        assertTrue(o3.temperature().isEmpty() && o3.maxTokens().isEmpty());
        RequestSettings proxied = specs.get(1).request();
        assertEquals(RequestSettings.TokenLimitField.MAX_TOKENS, proxied.tokenLimitField(), "the file wins over the family");
        assertEquals(1.0, proxied.temperature().getAsDouble());
        assertEquals(0.9, proxied.topP().getAsDouble());
        assertEquals(300, proxied.maxTokens().getAsInt());
        assertEquals(Map.of("tags", List.of("a", "b")), proxied.extraBody().get("metadata"));
        assertEquals(7, proxied.extraBody().get("seed"));
        assertEquals(Map.of("x-litellm-tags", "twt"), proxied.extraHeaders());
        assertEquals(RequestSettings.TokenLimitField.MAX_TOKENS, specs.get(2).request().tokenLimitField());
        assertEquals(null, specs.get(2).batching(), "online unless mode: batch");
    }

    @Test
    void batchModeTakesItsLimitsWithDefaults() {
        TeacherSpec spec = TeachersFile.parse("teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, mode: batch, batch-max-age: 30s}\n").getFirst();
        assertEquals(new Batching(1000, Duration.ofSeconds(30), Duration.ofMinutes(1), 0.5), spec.batching());
    }

    @Test
    void mistakesNameTheTeacherAndTheKey() {
        assertMessage("token-limit-field 'max_length' is not one of", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, token-limit-field: max_length}\n");
        assertMessage("extra-body must be a mapping", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, extra-body: [1]}\n");
        assertMessage("extra-headers must map header names", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, extra-headers: {x-a: [1]}}\n");
        assertMessage("mode 'bulk' is not one of [online, batch]", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, mode: bulk}\n");
        assertMessage("batch-max-age needs mode: batch", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, batch-max-age: 5m}\n");
        assertMessage("batch-max-requests must be 1 to 50000", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, mode: batch, batch-max-requests: 60000}\n");
        assertMessage("max-tokens must be at least 1", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, max-tokens: 0}\n");
        assertMessage("missing 'model'", "teachers:\n  - name: a\n    base-url: http://x/v1\n");
        assertMessage("unknown key 'budget'", "teachers:\n  - name: a\n    base-url: http://x/v1\n    model: m\n    budget: 5\n");
        assertMessage("appears twice", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m}\n  - {name: a, base-url: 'http://y/v1', model: m}\n");
        assertMessage("needs api-version", "teachers:\n  - {name: a, base-url: 'https://r.openai.azure.com/openai/deployments/d', model: m, kind: azure}\n");
        assertMessage("timeout must look like", "teachers:\n  - {name: a, base-url: 'http://x/v1', model: m, timeout: soon}\n");
        assertMessage("non-empty 'teachers' list", "teachers: []\n");
        assertMessage("must start with http", "teachers:\n  - {name: a, base-url: 'x/v1', model: m}\n");
    }

    @Test
    void everyExampleInTheReadmeIsAValidTeachersFile() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher yaml = Pattern.compile("```yaml\\n(teachers:.*?)```", Pattern.DOTALL).matcher(readme);
        int examples = 0;
        while (yaml.find()) {
            examples += TeachersFile.parse(yaml.group(1)).size();
        }
        assertTrue(examples >= 6, "OpenAI, Azure, Mistral, vLLM, Ollama and LiteLLM examples: found " + examples);
    }

    private static void assertMessage(String expected, String yaml) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TeachersFile.parse(yaml));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
