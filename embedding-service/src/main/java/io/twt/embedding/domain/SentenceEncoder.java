package io.twt.embedding.domain;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sentence embeddings as sentence-transformers computes them (transformer, mean pooling over real tokens, L2
 * normalisation), with the model's own tokenizer.json (DJL's Hugging Face tokenizer). Texts longer than one window
 * are cut into windows whose vectors are averaged, weighted by token count, before normalising. Windows of a call
 * are sorted by length and run in padded batches, so one forward pass serves many texts. The transformer runs on
 * OnnxRuntime ({@link OnnxTokenModel}) or on DJL's PyTorch engine ({@link TorchScriptTokenModel}).
 */
public final class SentenceEncoder implements AutoCloseable {

    public static final String ONNX_RUNTIME = "OnnxRuntime";
    public static final String PYTORCH = "PyTorch";
    // fixed cost of a forward pass in padded token cells: 16-64 measured best with MiniLM on 2 cores (bench/embedding)
    private static final int PASS_CELLS = 32;

    private final String modelName;
    private final TokenModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final long[] prefix;
    private final long[] suffix;
    private final int maxTokens;
    private final int batchSize;
    private final boolean tokenTypeIds;

    private SentenceEncoder(String modelName, TokenModel model, HuggingFaceTokenizer tokenizer, int maxTokens,
                            int batchSize, boolean tokenTypeIds) {
        this.modelName = modelName;
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.batchSize = batchSize;
        this.tokenTypeIds = tokenTypeIds;
        // a single-sentence template is [prefix] text [suffix]; the empty text shows which tokens those are
        long[] specials = tokenizer.encode("", true, false).getIds();
        if (specials.length != 2) {
            throw new IllegalStateException("expected one leading and one trailing special token, the tokenizer adds "
                    + Arrays.toString(specials));
        }
        this.prefix = new long[]{specials[0]};
        this.suffix = new long[]{specials[1]};
    }

    public static SentenceEncoder load(EncoderSettings settings) {
        TokenModel model = ONNX_RUNTIME.equals(settings.engine())
                ? OnnxTokenModel.load(settings)
                : TorchScriptTokenModel.load(settings);
        try {
            Path tokenizerFile = model.directory().resolve("tokenizer.json");
            if (!Files.exists(tokenizerFile)) {
                throw new IllegalStateException("no tokenizer.json beside the model in " + model.directory());
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerFile)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            boolean tokenTypes = settings.tokenTypeIds().orElseGet(model::declaresTokenTypeIds);
            return new SentenceEncoder(settings.modelName(), model, tokenizer, settings.maxTokens(), settings.batchSize(),
                    tokenTypes);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot load the tokenizer of " + settings.modelName(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public String modelName() {
        return modelName;
    }

    /** One L2-normalised vector per text, in the order given. */
    public synchronized List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Window> windows = windows(texts);
        for (List<Window> pass : passes(windows)) {
            forward(pass);
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int text = 0; text < texts.size(); text++) {
            List<float[]> parts = new ArrayList<>();
            List<Integer> weights = new ArrayList<>();
            for (Window window : windows) {
                if (window.text == text) {
                    parts.add(window.vector);
                    weights.add(window.ids.length);
                }
            }
            vectors.add(Pooling.l2Normalize(parts.size() == 1 ? parts.get(0) : Pooling.weightedAverage(parts, weights)));
        }
        return vectors;
    }

    /**
     * The forward passes {@link #embed} runs for these texts, without running them: each pass's window lengths
     * (what bench/embedding counts FLOPs on).
     */
    public synchronized List<PassShape> plan(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return passes(windows(texts)).stream()
                .map(pass -> new PassShape(pass.stream().mapToInt(w -> w.ids.length).toArray()))
                .toList();
    }

    /** Each text's token ids cut into windows of at most maxTokens, special tokens included. */
    private List<Window> windows(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
        List<Window> windows = new ArrayList<>();
        for (int text = 0; text < encodings.length; text++) {
            for (long[] ids : TokenWindows.of(encodings[text].getIds(), prefix, suffix, maxTokens)) {
                windows.add(new Window(text, ids));
            }
        }
        return windows;
    }

    /** Windows sorted by length, so similar lengths share a pass and little of it is padding, cut by BatchPlan. */
    private List<List<Window>> passes(List<Window> windows) {
        List<Window> byLength = windows.stream().sorted(Comparator.comparingInt(w -> w.ids.length)).toList();
        List<List<Window>> passes = new ArrayList<>();
        int start = 0;
        for (int end : BatchPlan.cuts(byLength.stream().mapToInt(w -> w.ids.length).toArray(), batchSize, PASS_CELLS)) {
            passes.add(byLength.subList(start, end));
            start = end;
        }
        return passes;
    }

    private void forward(List<Window> batch) {
        int rows = batch.size();
        int seqLen = batch.get(rows - 1).ids.length;
        // padding positions are masked out of attention and pooling, so the pad id's value does not matter
        long[] inputIds = new long[rows * seqLen];
        long[] attentionMask = new long[rows * seqLen];
        for (int row = 0; row < rows; row++) {
            long[] ids = batch.get(row).ids;
            System.arraycopy(ids, 0, inputIds, row * seqLen, ids.length);
            Arrays.fill(attentionMask, row * seqLen, row * seqLen + ids.length, 1L);
        }
        TokenModel.HiddenStates hidden = model.forward(inputIds, attentionMask, rows, seqLen, tokenTypeIds);
        for (int row = 0; row < rows; row++) {
            Window window = batch.get(row);
            window.vector = Pooling.mean(hidden.values(), row, seqLen, hidden.dim(), window.ids.length);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }

    /** One model-sized slice of a text; {@code vector} is filled by its forward pass. */
    private static final class Window {
        final int text;
        final long[] ids;
        float[] vector;

        Window(int text, long[] ids) {
            this.text = text;
            this.ids = ids;
        }
    }
}
