package io.twt.lm.serve;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import io.twt.lm.Generation;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.MultiLoraModel;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lm serve} through OpenAI's own Java client: completions, chat, streaming and errors; greedy answers equal
 * what {@link StudentModel#generate} (the code of {@code lm generate}) gives for the same model and adapter;
 * adapters loaded and unloaded while it runs; concurrent requests batched.
 */
@Timeout(300)
class CompletionServerTest {

    @TempDir
    static Path tmp;
    private static Path base;
    private static Path adapterA;
    private static Path adapterB;
    private static CompletionServer server;
    private static OpenAIClient client;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final List<String> PROMPTS = List.of("Item: apple\nKind:", "Word: saw\nKind:", "Name: tram\nKind:",
            "Object: violin and a much longer description of it\nKind:");

    @BeforeAll
    static void serve() throws Exception {
        List<SftExample> examples = new ArrayList<>();
        for (String thing : List.of("apple", "pear", "tram", "bus", "saw", "drill", "violin", "drum")) {
            examples.add(new SftExample("Item: " + thing + "\nKind:", " " + thing.length() + " letters\n"));
        }
        List<String> corpus = examples.stream().map(e -> e.prompt() + e.completion()).collect(Collectors.toList());
        corpus.add("Word: Name: Object: a much longer description of it");
        // max_position_embeddings 128: a prompt can exceed the context
        base = ModelFactory.createRandom(tmp.resolve("base"), new ModelShape(300, 32, 64, 2, 2, 1, 128), corpus, 3L);
        adapterA = trainAdapter(examples, "a", 1);
        adapterB = trainAdapter(examples.reversed(), "b", 2);
        MultiLoraModel student = MultiLoraModel.load(base);
        student.addAdapter("stage-a", adapterA);
        server = CompletionServer.start(student, "base", "127.0.0.1", 0, 8);
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    private static Path trainAdapter(List<SftExample> examples, String name, long seed) {
        TrainingConfig config = TrainingConfig.builder().lora(new LoraConfig(8, 16, 0, List.of("q_proj", "v_proj", "up_proj", "down_proj")))
                .learningRate(2e-2).batchSize(4).epochs(15).warmupRatio(0).maxLength(64).seed(seed).build();
        try (StudentModel model = StudentModel.load(base, null)) {
            new SftTrainer(model, config).train(examples, p -> { });
            model.saveAdapter(tmp.resolve(name));
        }
        return tmp.resolve(name);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static List<Generation> generateInProcess(Path adapter, GenerationConfig config) {
        try (StudentModel model = StudentModel.load(base, adapter)) {
            return model.generate(PROMPTS, config);
        }
    }

    private static Completion complete(String model, String prompt, long maxTokens) {
        return client.completions().create(CompletionCreateParams.builder().model(model).prompt(prompt)
                .maxTokens(maxTokens).temperature(0.0).build());
    }

    @Test
    void greedyCompletionsEqualLmGenerateForTheBaseAndAnAdapter() {
        for (String model : List.of("base", "stage-a")) {
            List<Generation> expected = generateInProcess(model.equals("base") ? null : adapterA, GenerationConfig.greedy(12));
            for (int i = 0; i < PROMPTS.size(); i++) {
                Completion completion = complete(model, PROMPTS.get(i), 12);
                assertEquals(expected.get(i).text(), completion.choices().get(0).text(), model + " prompt " + i);
                assertEquals(expected.get(i).outputTokens(), completion.usage().orElseThrow().completionTokens());
                assertEquals(promptTokens(PROMPTS.get(i)), completion.usage().orElseThrow().promptTokens());
            }
        }
        assertNotEquals(complete("base", PROMPTS.get(0), 12).choices().get(0).text(),
                complete("stage-a", PROMPTS.get(0), 12).choices().get(0).text(), "the adapter changes the answer");
    }

    /** Prompt tokens as the server counts them: the student's tokenizer with its special tokens (the BOS). */
    private static long promptTokens(String prompt) {
        try (StudentModel model = StudentModel.load(base, null)) {
            return model.encode(prompt, true).length;
        }
    }

    @Test
    void concurrentRequestsRunInSharedBatchesAndAnswerAsAlone() throws Exception {
        List<Generation> expected = generateInProcess(adapterA, GenerationConfig.greedy(40));
        ExecutorService callers = Executors.newFixedThreadPool(PROMPTS.size() * 2);
        try {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String prompt : PROMPTS) {
                    answers.add(CompletableFuture.supplyAsync(() -> complete("stage-a", prompt, 40).choices().get(0).text(), callers));
                }
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(expected.get(i % PROMPTS.size()).text(), answers.get(i).get(), "request " + i);
            }
        } finally {
            callers.shutdownNow();
        }
        assertTrue(server.largestBatch() > 1, "8 concurrent requests never shared a batch");
    }

    @Test
    void chatWithTheStudentPromptAnswersAsTheCompletionsEndpoint() {
        ChatCompletion chat = client.chat().completions().create(ChatCompletionCreateParams.builder().model("stage-a")
                .addUserMessage(PROMPTS.get(1)).maxCompletionTokens(12).temperature(0.0).build());
        Completion completion = complete("stage-a", PROMPTS.get(1), 12);
        assertEquals(completion.choices().get(0).text(), chat.choices().get(0).message().content().orElseThrow());
        assertEquals(completion.usage().orElseThrow().completionTokens(), chat.usage().orElseThrow().completionTokens());
        assertEquals(completion.choices().get(0).finishReason().toString(), chat.choices().get(0).finishReason().toString());
    }

    @Test
    void streamedPiecesAddUpToTheUnstreamedTextAndStopWhereItStops() {
        Completion free = complete("stage-a", PROMPTS.get(0), 20);
        String text = free.choices().get(0).text();
        String stripped = text.strip();
        assertTrue(stripped.length() > 4, text);
        String stop = stripped.substring(stripped.length() - 3); // " 4 letters\n" stops at "ers"
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("stage-a").addUserMessage(PROMPTS.get(0))
                .maxCompletionTokens(20).temperature(0.0).stop(stop).build();
        StringBuilder streamed = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> reasons = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> {
                choice.delta().content().filter(piece -> !piece.isEmpty()).ifPresent(pieces::add);
                choice.finishReason().ifPresent(reasons::add);
            }));
        }
        pieces.forEach(streamed::append);
        assertEquals(text.substring(0, text.indexOf(stop)), streamed.toString());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), reasons);
        assertTrue(pieces.size() > 1, "streamed as " + pieces);
        String unstreamed = client.chat().completions().create(params).choices().get(0).message().content().orElseThrow();
        assertEquals(unstreamed, streamed.toString());
    }

    @Test
    void badRequestsGetOpenAiErrorsAndTheServerStaysUp() throws Exception {
        NotFoundException unknown = assertThrows(NotFoundException.class, () -> complete("no-such-model", "x", 4));
        assertEquals("model_not_found", unknown.code().orElseThrow());
        BadRequestException negative = assertThrows(BadRequestException.class, () -> complete("base", "x", -1));
        assertEquals("max_tokens", negative.param().orElseThrow());
        BadRequestException tooLong = assertThrows(BadRequestException.class,
                () -> complete("base", "Item: apple ".repeat(200), 4));
        assertEquals("context_length_exceeded", tooLong.code().orElseThrow());
        OpenAIServiceException twoChoices = assertThrows(BadRequestException.class, () -> client.completions().create(
                CompletionCreateParams.builder().model("base").prompt("x").n(2).build()));
        assertEquals("n", twoChoices.param().orElseThrow());

        HttpResponse<String> malformed = post("/completions", "{\"model\": \"base\", \"prompt\": ");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("\"error\"") && malformed.body().contains("not valid JSON"), malformed.body());
        assertEquals(404, post("/no-such-route", "{}").statusCode());

        assertEquals(4, complete("base", PROMPTS.get(0), 4).usage().orElseThrow().completionTokens(), "still serving");
    }

    @Test
    void adaptersAreLoadedAndUnloadedWhileServing() throws Exception {
        HttpResponse<String> loaded = post("/load_lora_adapter",
                "{\"lora_name\": \"stage-b\", \"lora_path\": \"" + adapterB + "\"}");
        assertEquals(200, loaded.statusCode(), loaded.body());
        assertEquals(400, post("/load_lora_adapter", "{\"lora_name\": \"stage-b\", \"lora_path\": \"" + adapterB + "\"}").statusCode(),
                "loading a name twice");
        HttpResponse<String> missing = post("/load_lora_adapter", "{\"lora_name\": \"x\", \"lora_path\": \"" + tmp.resolve("none") + "\"}");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("cannot load adapter 'x'"), missing.body());

        List<String> models = client.models().list().data().stream().map(Model::id).toList();
        assertEquals(List.of("base", "stage-a", "stage-b"), models);
        List<Generation> expected = generateInProcess(adapterB, GenerationConfig.greedy(12));
        assertEquals(expected.get(2).text(), complete("stage-b", PROMPTS.get(2), 12).choices().get(0).text());

        assertEquals(200, post("/unload_lora_adapter", "{\"lora_name\": \"stage-b\"}").statusCode());
        assertThrows(NotFoundException.class, () -> complete("stage-b", PROMPTS.get(2), 4));
        assertEquals(404, post("/unload_lora_adapter", "{\"lora_name\": \"stage-b\"}").statusCode());
        assertEquals(generateInProcess(adapterA, GenerationConfig.greedy(12)).get(2).text(),
                complete("stage-a", PROMPTS.get(2), 12).choices().get(0).text(), "the other adapter is untouched");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
