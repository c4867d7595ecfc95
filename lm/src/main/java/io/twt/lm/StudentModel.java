package io.twt.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.engine.Engines;
import io.twt.lm.engine.NativeKernels;
import io.twt.lm.generate.Generator;
import io.twt.lm.model.Adapters;
import io.twt.lm.load.BaseWeights;
import io.twt.lm.model.LlamaModel;
import io.twt.lm.model.Masks;
import io.twt.lm.model.NoGrad;
import io.twt.lm.model.Tensors;
import io.twt.lm.tokenizer.ChatTemplate;
import io.twt.lm.tokenizer.TextTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The student language model: a Hugging Face checkpoint (llama, mistral, qwen2, phi3) on DJL's PyTorch engine,
 * optionally with a PEFT LoRA adapter, its tokenizer, generation, and saving. Not thread-safe: one thread
 * generates or trains at a time.
 */
public final class StudentModel implements AutoCloseable {

    /** Files of a model folder besides the weights that travel with it when it is saved again. */
    static final List<String> TOKENIZER_FILES =
            List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json");

    static {
        Engines.offline();
    }

    private final Path modelDir;
    private final LlamaModel model;
    private final TextTokenizer tokenizer; // null when the folder has no tokenizer.json (logits only)
    private final ChatTemplate chatTemplate; // null when tokenizer_config.json has no chat_template (the lab student)
    private LoraConfig adapter;

    private StudentModel(Path modelDir, LlamaModel model, TextTokenizer tokenizer, ChatTemplate chatTemplate,
                         LoraConfig adapter) {
        this.modelDir = modelDir;
        this.model = model;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.adapter = adapter;
    }

    /** Loads config.json, the safetensors weights and tokenizer.json of modelDir, plus a PEFT adapter if given. */
    public static StudentModel load(Path modelDir, Path adapterDirOrNull) {
        return load(modelDir, adapterDirOrNull, Engine.getEngine("PyTorch").defaultDevice());
    }

    /** {@link #load} onto a given device (Device.cpu(), Device.gpu()); DJL's default is the first GPU if any. */
    public static StudentModel load(Path modelDir, Path adapterDirOrNull, Device device) {
        LlamaConfig config = LlamaConfig.read(modelDir.resolve("config.json"))
                .withGenerationConfig(modelDir.resolve("generation_config.json"));
        NDManager manager = NDManager.newBaseManager(device);
        NativeKernels.loadedOn(device);
        try {
            LlamaModel model = BaseWeights.load(modelDir, config, manager);
            LoraConfig adapter = adapterDirOrNull == null ? null : Adapters.load(adapterDirOrNull, model);
            Path tokenizerJson = modelDir.resolve("tokenizer.json");
            TextTokenizer tokenizer = Files.exists(tokenizerJson) ? TextTokenizer.load(tokenizerJson) : null;
            ChatTemplate chatTemplate = ChatTemplate.read(modelDir.resolve("tokenizer_config.json"));
            return new StudentModel(modelDir, model, tokenizer, chatTemplate, adapter);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public LlamaConfig config() {
        return model.config();
    }

    public Path modelDir() {
        return modelDir;
    }

    /** The adapter's settings, or null when the model runs without LoRA. */
    public LoraConfig adapterConfig() {
        return adapter;
    }

    /** Tokens of text as the model sees it (no special tokens added). */
    public int countTokens(String text) {
        return tokenizer().encode(text, false).length;
    }

    /** Token ids of text; withSpecialTokens adds what the tokenizer's post-processor adds (e.g. Llama's BOS). */
    public long[] encode(String text, boolean withSpecialTokens) {
        return tokenizer().encode(text, withSpecialTokens);
    }

    /**
     * Token ids the model reads for a student prompt (StudentPrompt's text): rendered as one user turn by the
     * checkpoint's chat template when it has one (the template writes its own bos), else the text with the
     * tokenizer's special tokens. Training, drafts and evaluation all go through here.
     */
    public long[] promptIds(String prompt) {
        return chatTemplate == null ? encode(prompt, true) : encode(chatTemplate.prompt(prompt), false);
    }

    /**
     * Token ids of a completion after {@link #promptIds}, ended as the model should end it: the template's
     * assistant turn (its end-of-turn and eos tokens are the template's), else the text and config.json's first eos.
     */
    public long[] completionIds(String prompt, String completion) {
        if (chatTemplate != null) {
            return encode(chatTemplate.completion(prompt, completion), false);
        }
        List<Integer> eos = model.config().eosTokenIds();
        if (eos.isEmpty()) {
            throw new IllegalStateException("config.json has no eos_token_id; the trainer needs one to end completions");
        }
        long[] text = encode(completion, false);
        long[] ids = Arrays.copyOf(text, text.length + 1);
        ids[text.length] = eos.get(0);
        return ids;
    }

    /** The chat template of the checkpoint, or null when the plain StudentPrompt format is used. */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    public String decode(long[] ids) {
        return tokenizer().decode(ids);
    }

    /** Completes every prompt (batched); the texts exclude the prompt and any stop string. */
    public List<Generation> generate(List<String> prompts, GenerationConfig config) {
        List<long[]> ids = new ArrayList<>();
        for (String prompt : prompts) {
            ids.add(promptIds(prompt));
        }
        Generator.StopCheck stopCheck = config.stop().isEmpty() ? generated -> false
                : generated -> stopIndex(decode(generated), config.stop()) >= 0;
        List<Generator.Output> outputs = generateTokens(ids, config, stopCheck);
        List<Generation> generations = new ArrayList<>();
        for (Generator.Output output : outputs) {
            generations.add(generation(output, config.stop()));
        }
        return generations;
    }

    /** An output's text: decoded, cut before the first stop string. */
    Generation generation(Generator.Output output, List<String> stops) {
        String text = decode(output.tokens());
        int stop = stopIndex(text, stops);
        return new Generation(stop >= 0 ? text.substring(0, stop) : text, output.tokens().length, output.finishReason());
    }

    public Generation generate(String prompt, GenerationConfig config) {
        return generate(List.of(prompt), config).get(0);
    }

    /** Token-level generation (no stop strings): what {@link #generate} runs under its tokenizer. */
    public List<Generator.Output> generateTokens(List<long[]> promptIds, GenerationConfig config,
                                                 Generator.StopCheck stopCheck) {
        return generator().generate(promptIds, config, stopCheck);
    }

    /** Decoding with this model's eos ids and padding token. */
    Generator generator() {
        LlamaConfig c = model.config();
        Set<Long> eos = new LinkedHashSet<>();
        c.eosTokenIds().forEach(id -> eos.add((long) id));
        long pad = c.padTokenId() >= 0 ? c.padTokenId() : c.eosTokenIds().isEmpty() ? 0 : c.eosTokenIds().get(0);
        return new Generator(model, eos, pad);
    }

    /** Where the first of the stop strings starts in text, -1 when none occurs. */
    public static int stopIndex(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** Logits of the base model (plus adapter), one [vocab] row per position: [batch][position][vocab]. */
    public float[][][] logits(long[][] inputIds) {
        int batch = inputIds.length;
        int t = inputIds[0].length;
        long[] ids = new long[batch * t];
        long[] positions = new long[batch * t];
        for (int b = 0; b < batch; b++) {
            if (inputIds[b].length != t) {
                throw new IllegalArgumentException("every row needs the same length; row " + b + " has " + inputIds[b].length);
            }
            for (int i = 0; i < t; i++) {
                ids[b * t + i] = inputIds[b][i];
                positions[b * t + i] = i;
            }
        }
        float[] flat = NoGrad.call(() -> {
            try (NDScope scope = new NDScope()) {
                NDManager m = model.manager();
                NDArray logits = model.forward(Tensors.of(m, ids, new Shape(batch, t)), Tensors.of(m, positions, new Shape(batch, t)),
                        Masks.causal(m, t, model.config().slidingWindow()), null, false, false);
                scope.suppressNotUsedWarning();
                return logits.toFloatArray();
            }
        });
        int vocab = model.config().vocabSize();
        float[][][] out = new float[batch][t][vocab];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < t; i++) {
                System.arraycopy(flat, (b * t + i) * vocab, out[b][i], 0, vocab);
            }
        }
        return out;
    }

    /** Writes the LoRA adapter in PEFT layout (adapter_config.json, adapter_model.safetensors). */
    public void saveAdapter(Path dir) {
        saveAdapter(dir, null);
    }

    /**
     * Writes the LoRA adapter, its base_model_name_or_path the given hub id, else config.json's hub id, else the
     * local folder.
     */
    public void saveAdapter(Path dir, String baseModelHubIdOrNull) {
        if (adapter == null) {
            throw new IllegalStateException("the model has no LoRA adapter; save it with saveMerged");
        }
        String baseModel = Adapters.baseModelName(modelDir, baseModelHubIdOrNull);
        NoGrad.call(() -> {
            Adapters.save(model, adapter, baseModel, dir);
            return null;
        });
    }

    /** Writes a Hugging Face checkpoint with the adapter (if any) merged into the weights, plus the tokenizer files. */
    public void saveMerged(Path dir) {
        try {
            Files.createDirectories(dir);
            NoGrad.call(() -> {
                BaseWeights.save(model, dir);
                return null;
            });
            for (String file : TOKENIZER_FILES) {
                Path source = modelDir.resolve(file);
                if (Files.exists(source) && !Files.isSameFile(modelDir, dir)) {
                    Files.copy(source, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir, e);
        }
    }

    /** The decoder itself (internal API: benchmarks and the trainer reach its dtype, chunking and layers). */
    public LlamaModel llama() {
        return model;
    }

    void adapter(LoraConfig adapter) {
        this.adapter = adapter;
    }

    TextTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException(modelDir + " has no tokenizer.json");
        }
        return tokenizer;
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        model.close();
    }
}
