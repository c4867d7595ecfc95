package io.twt.embedding.domain;

import ai.djl.MalformedModelException;
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
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A TorchScript model on DJL's PyTorch engine, as DJL's Hugging Face zoo ships it and djl-convert writes it:
 * {@code forward(input_ids, attention_mask[, token_type_ids])} taking its inputs by position.
 */
final class TorchScriptTokenModel implements TokenModel {

    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    private TorchScriptTokenModel(ZooModel<NDList, NDList> model) {
        this.model = model;
        this.predictor = model.newPredictor();
    }

    static TorchScriptTokenModel load(EncoderSettings settings) {
        libtorchThreads(settings.threads());
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(SentenceEncoder.PYTORCH)
                .optTranslator(new NoopTranslator())
                // a TorchScript file traced on a GPU loads onto the CPU
                .optOption("mapLocation", "true");
        if (settings.modelUrl().isPresent()) {
            criteria.optModelUrls(settings.modelUrl().get());
        } else {
            Path dir = settings.modelPath().orElseThrow(() -> new IllegalStateException(
                    "the bundled model is ONNX: set a model path or URL for " + SentenceEncoder.PYTORCH));
            criteria.optModelPath(dir);
            torchScriptName(dir).ifPresent(criteria::optModelName);
        }
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.build().loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new IllegalStateException("cannot load embedding model " + settings.modelName() + ": " + e.getMessage(), e);
        }
        try {
            MeanPooling.require(model.getName(), model::getProperty);
            return new TorchScriptTokenModel(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
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

    @Override
    public Path directory() {
        return model.getModelPath();
    }

    /** djl-convert records it in serving.properties (includeTokenTypes). */
    @Override
    public boolean declaresTokenTypeIds() {
        return Boolean.parseBoolean(model.getProperty("includeTokenTypes"));
    }

    @Override
    public HiddenStates forward(long[] inputIds, long[] attentionMask, int rows, int seqLen, boolean tokenTypeIds) {
        Shape shape = new Shape(rows, seqLen);
        try (NDManager manager = model.getNDManager().newSubManager()) {
            // TorchScript takes its inputs by position, in djl-convert's order
            NDList inputs = new NDList(
                    named(manager.create(LongBuffer.wrap(inputIds), shape), "input_ids"),
                    named(manager.create(LongBuffer.wrap(attentionMask), shape), "attention_mask"));
            if (tokenTypeIds) {
                inputs.add(named(manager.create(LongBuffer.wrap(new long[rows * seqLen]), shape), "token_type_ids"));
            }
            try (NDList outputs = predictor.predict(inputs)) {
                NDArray hiddenState = lastHiddenState(outputs);
                return new HiddenStates(hiddenState.toFloatArray(), (int) hiddenState.getShape().get(2));
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("forward pass of " + model.getName() + " failed: " + e.getMessage(), e);
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
        model.close();
    }
}
