package io.twt.embedding.domain;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sentence embeddings as sentence-transformers computes them (transformer, mean pooling over real tokens, L2
 * normalisation), on DJL with the model's own tokenizer.json. Texts longer than one window are cut into windows
 * whose vectors are averaged, weighted by token count, before normalising. Windows of a call are sorted by
 * length and run in padded batches, so one forward pass serves many texts.
 */
public final class SentenceEncoder implements AutoCloseable {

    public static final String ONNX_RUNTIME = "OnnxRuntime";
    public static final String PYTORCH = "PyTorch";
    // fixed cost of a forward pass in padded token cells: 16-64 measured best with MiniLM on 2 cores (bench/embedding)
    private static final int PASS_CELLS = 32;

    private final String modelName;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final HuggingFaceTokenizer tokenizer;
    private final long[] prefix;
    private final long[] suffix;
    private final int maxTokens;
    private final int batchSize;
    private final boolean tokenTypeIds;
    private final OrtSession.SessionOptions sessionOptions;

    private SentenceEncoder(String modelName, ZooModel<NDList, NDList> model, HuggingFaceTokenizer tokenizer,
                            int maxTokens, int batchSize, boolean tokenTypeIds, OrtSession.SessionOptions sessionOptions) {
        this.modelName = modelName;
        this.sessionOptions = sessionOptions;
        this.model = model;
        this.predictor = model.newPredictor();
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
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(settings.engine())
                .optTranslator(new NoopTranslator());
        OrtSession.SessionOptions sessionOptions = null;
        if (ONNX_RUNTIME.equals(settings.engine())) {
            sessionOptions = sessionOptions(settings.threads());
            criteria.optArgument("sessionOptions", sessionOptions);
        } else if (PYTORCH.equals(settings.engine())) {
            libtorchThreads(settings.threads());
            // a TorchScript file traced on a GPU loads onto the CPU
            criteria.optOption("mapLocation", "true");
        }
        if (settings.modelUrl().isPresent()) {
            criteria.optModelUrls(settings.modelUrl().get());
        } else {
            Path dir = settings.modelPath().orElseGet(() -> BundledMiniLm.extractTo(settings.cacheDir()));
            criteria.optModelPath(dir);
            if (PYTORCH.equals(settings.engine())) {
                torchScriptName(dir).ifPresent(criteria::optModelName);
            }
        }
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.build().loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new IllegalStateException("cannot load embedding model " + settings.modelName() + ": " + e.getMessage(), e);
        }
        try {
            requireMeanPooling(model);
            Path tokenizerFile = model.getModelPath().resolve("tokenizer.json");
            if (!Files.exists(tokenizerFile)) {
                throw new IllegalStateException("no tokenizer.json beside the model in " + model.getModelPath());
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerFile)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            boolean tokenTypes = settings.tokenTypeIds().orElseGet(() -> takesTokenTypeIds(model, settings.engine()));
            return new SentenceEncoder(settings.modelName(), model, tokenizer, settings.maxTokens(),
                    settings.batchSize(), tokenTypes, sessionOptions);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot load the tokenizer of " + settings.modelName(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static OrtSession.SessionOptions sessionOptions(int threads) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // idle pool threads sleep instead of spinning: a spinning pool starves other processes on a shared
            // host and, under contention, its own next batch; batches are large enough not to miss the wake-up
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            return options;
        } catch (OrtException e) {
            throw new IllegalStateException("cannot set OnnxRuntime session options: " + e.getMessage(), e);
        }
    }

    /** libc's setenv, through JNA (a DJL dependency): the JVM itself cannot change its environment. */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /**
     * libtorch reads both when it first loads, so they hold for the whole JVM; settings given by the user win.
     * OpenMP threads wait passively: spinning ones starve other processes on a shared host, as OnnxRuntime's do.
     */
    private static void libtorchThreads(int threads) {
        if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            Native.load("c", LibC.class).setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
    }

    /**
     * The name of the directory's one TorchScript file, so any name loads: DJL itself looks only for
     * {@code <dir name>.pt}, {@code model.pt} and the name serving.properties gives.
     */
    private static Optional<String> torchScriptName(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pt")).toList();
            return names.size() == 1 ? Optional.of(names.get(0).substring(0, names.get(0).length() - 3)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * djl-convert writes a sentence-transformers model's pooling and extra layers into serving.properties
     * (absent: mean, none); this encoder computes mean pooling over the transformer's output only.
     */
    private static void requireMeanPooling(ZooModel<NDList, NDList> model) {
        String pooling = model.getProperty("pooling", "mean");
        boolean extraModules = model.getProperty("dense") != null || model.getProperty("layerNorm") != null;
        if (!"mean".equals(pooling) || extraModules) {
            throw new IllegalStateException(model.getName() + ": serving.properties asks for pooling=" + pooling
                    + (extraModules ? " and a dense or layer-norm module" : "") + "; this encoder computes mean pooling only");
        }
    }

    /** ONNX declares its inputs; djl-convert records a TorchScript model's in serving.properties (includeTokenTypes). */
    private static boolean takesTokenTypeIds(ZooModel<NDList, NDList> model, String engine) {
        if (ONNX_RUNTIME.equals(engine)) {
            PairList<String, Shape> inputs = model.describeInput();
            return inputs != null && inputs.keys().contains("token_type_ids");
        }
        return Boolean.parseBoolean(model.getProperty("includeTokenTypes"));
    }

    public String modelName() {
        return modelName;
    }

    /** One L2-normalised vector per text, in the order given. */
    public synchronized List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
        List<Window> windows = new ArrayList<>();
        for (int text = 0; text < encodings.length; text++) {
            for (long[] ids : TokenWindows.of(encodings[text].getIds(), prefix, suffix, maxTokens)) {
                windows.add(new Window(text, ids));
            }
        }
        // similar lengths share a batch, so little of each forward pass is spent on padding
        List<Window> byLength = windows.stream().sorted(Comparator.comparingInt(w -> w.ids.length)).toList();
        int start = 0;
        for (int end : BatchPlan.cuts(byLength.stream().mapToInt(w -> w.ids.length).toArray(), batchSize, PASS_CELLS)) {
            forward(byLength.subList(start, end));
            start = end;
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
        Shape shape = new Shape(rows, seqLen);
        try (NDManager manager = model.getNDManager().newSubManager()) {
            // the names bind ONNX inputs; TorchScript takes them by position, in djl-convert's order
            NDList inputs = new NDList(
                    named(manager.create(LongBuffer.wrap(inputIds), shape), "input_ids"),
                    named(manager.create(LongBuffer.wrap(attentionMask), shape), "attention_mask"));
            if (tokenTypeIds) {
                inputs.add(named(manager.create(LongBuffer.wrap(new long[rows * seqLen]), shape), "token_type_ids"));
            }
            try (NDList outputs = predictor.predict(inputs)) {
                NDArray hiddenState = lastHiddenState(outputs);
                int dim = (int) hiddenState.getShape().get(2);
                float[] hidden = hiddenState.toFloatArray();
                for (int row = 0; row < rows; row++) {
                    Window window = batch.get(row);
                    window.vector = Pooling.mean(hidden, row, seqLen, dim, window.ids.length);
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("forward pass of " + modelName + " failed: " + e.getMessage(), e);
        }
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    /**
     * Token vectors (batch, seqLen, dim): the output so named, else the first three-dimensional one. DJL flattens
     * a TorchScript tuple in order and names the tensors of a dict (djl-convert's traces) by their keys.
     */
    private static NDArray lastHiddenState(NDList outputs) {
        NDArray named = outputs.get("last_hidden_state");
        if (named != null) {
            return named;
        }
        return outputs.stream().filter(a -> a.getShape().dimension() == 3).findFirst()
                .orElseThrow(() -> new IllegalStateException("the model returned no (batch, tokens, dim) output: " + outputs));
    }

    @Override
    public void close() {
        predictor.close();
        tokenizer.close();
        model.close();
        if (sessionOptions != null) {
            sessionOptions.close();
        }
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
