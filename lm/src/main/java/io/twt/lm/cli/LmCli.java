package io.twt.lm.cli;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.Generation;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.config.LlamaConfig;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.MemoryPlan;
import io.twt.lm.ModelFactory;
import io.twt.lm.config.ModelShape;
import io.twt.lm.MultiLoraModel;
import io.twt.lm.SftExample;
import io.twt.lm.SftTrainer;
import io.twt.lm.StudentModel;
import io.twt.lm.config.TrainingConfig;
import io.twt.lm.TrainingResult;
import io.twt.lm.serve.CompletionServer;
import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageRun;
import io.twt.lm.stage.StageSpec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The lm command line ({@code ./twt lm ...}): init, train, generate, forward, plan. Results go to stdout as JSON,
 * logs to stderr.
 */
public final class LmCli {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = """
            usage: lm <command> [options]
              init     --out DIR --corpus FILE.jsonl|FILE.txt [--shape tiny|small] [--max-vocab N] [--seed N]
              train    --job STAGE_DIR|stage-job.json   (one stage of trainer-service's stage contract)
              train    --model DIR [--adapter DIR] --data FILE.jsonl --out DIR [--full] [--epochs N] [--lr X]
                       [--batch N] [--grad-accum N] [--rank N] [--alpha X] [--dropout X] [--targets a,b]
                       [--warmup X] [--max-length N] [--checkpoint-every N] [--resume] [--seed N] [--merge]
                       [--dtype float32|float16] [--attention-chunk N] [--recompute]
              generate --model DIR [--adapter DIR] (--prompt TEXT | --prompts FILE.jsonl) [--max-new-tokens N]
                       [--temperature X] [--top-p X] [--stop S]... [--seed N] [--batch N] [--no-kv-cache]
              forward  --model DIR [--adapter DIR] --input-ids 1,2,3
              serve    --model DIR [--adapter NAME=DIR]... [--host H] [--port P] [--served-model-name NAME]
                       [--max-batch N]
              plan     --model DIR --batch N --max-length T [--lora-rank R | --full] [--dtype float32|float16|bfloat16]
                       [--attention-chunk N] [--recompute]
                       [--device-gib G]   (reads config.json only; exits 2 when the stage does not fit)
            every command takes --threads N (libtorch intra-op threads)""";

    private LmCli() {
    }

    public static void main(String[] argv) {
        // --help anywhere (./twt lm train --help) prints the usage before anything runs
        if (argv.length == 0 || argv[0].equals("help") || List.of(argv).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            Args args = new Args(argv, 1, Set.of("full", "resume", "merge", "no-kv-cache", "recompute"));
            if (args.string("threads", null) != null) {
                System.setProperty("ai.djl.pytorch.num_threads", args.string("threads", null));
            }
            switch (argv[0]) {
                case "init" -> init(args);
                case "train" -> train(args);
                case "generate" -> generate(args);
                case "forward" -> forward(args);
                case "serve" -> serve(args);
                case "plan" -> plan(args);
                default -> throw new IllegalArgumentException("unknown command '" + argv[0] + "'\n" + USAGE);
            }
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("lm: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Prints the memory plan of a training stage as JSON, then refuses (exit 2) a stage the device cannot hold. */
    private static void plan(Args args) {
        args.allow(Set.of("model", "batch", "max-length", "lora-rank", "full", "dtype", "attention-chunk", "recompute",
                "device-gib", "threads"));
        LlamaConfig config = LlamaConfig.read(Path.of(args.required("model")).resolve("config.json"));
        LoraConfig preset = LoraConfig.paperPreset();
        int rank = args.integer("lora-rank", preset.rank());
        LoraConfig lora = args.flag("full") ? null
                : new LoraConfig(rank, 2.0 * rank, preset.dropout(), preset.targetModules());
        int weightBytes = switch (args.string("dtype", "float32")) {
            case "float32" -> 4;
            case "bfloat16", "float16" -> 2;
            default -> throw new IllegalArgumentException("--dtype must be float32, bfloat16 or float16");
        };
        MemoryPlan plan = MemoryPlan.of(config, args.integer("batch", 8), args.integer("max-length", 4096), lora, weightBytes,
                args.integer("attention-chunk", 0), args.flag("recompute"));
        long device = (long) (args.number("device-gib", 80) * (1L << 30));
        ObjectNode out = JSON.createObjectNode();
        out.put("parameters", plan.parameters());
        out.put("trainable_parameters", plan.trainableParameters());
        out.put("weights_bytes", plan.weights());
        out.put("activations_bytes", plan.activations());
        out.put("gradients_bytes", plan.gradients());
        out.put("optimizer_bytes", plan.optimizer());
        out.put("total_bytes", plan.total());
        out.put("device_bytes", device);
        out.put("fits", plan.fits(device));
        System.out.println(out);
        plan.requireFits(device);
    }

    private static void init(Args args) {
        args.allow(Set.of("out", "corpus", "shape", "max-vocab", "seed", "threads"));
        Path corpusFile = Path.of(args.required("corpus"));
        List<String> corpus = new ArrayList<>();
        for (String line : lines(corpusFile)) {
            if (corpusFile.toString().endsWith(".jsonl")) {
                JsonNode node = readJson(line);
                StringBuilder text = new StringBuilder();
                for (String field : List.of("text", "prompt", "completion")) {
                    if (node.hasNonNull(field)) {
                        text.append(node.get(field).asText());
                    }
                }
                corpus.add(text.toString());
            } else {
                corpus.add(line + "\n");
            }
        }
        ModelShape shape = switch (args.string("shape", "tiny")) {
            case "tiny" -> ModelShape.tiny();
            case "small" -> ModelShape.small();
            default -> throw new IllegalArgumentException("--shape must be tiny or small");
        };
        if (args.string("max-vocab", null) != null) {
            shape = new ModelShape(args.integer("max-vocab", 0), shape.hiddenSize(), shape.intermediateSize(),
                    shape.numLayers(), shape.numHeads(), shape.numKvHeads(), shape.maxPositionEmbeddings());
        }
        Path out = ModelFactory.createRandom(Path.of(args.required("out")), shape, corpus, args.integer("seed", 42));
        try (StudentModel model = StudentModel.load(out, null)) {
            ObjectNode summary = JSON.createObjectNode();
            summary.put("model", out.toAbsolutePath().toString());
            summary.put("vocabSize", model.config().vocabSize());
            summary.put("hiddenSize", model.config().hiddenSize());
            summary.put("layers", model.config().numLayers());
            System.out.println(summary);
        }
    }

    private static void train(Args args) {
        if (args.flag("job")) {
            args.allow(Set.of("job", "threads"));
            StageResult result = StageRun.run(StageSpec.read(Path.of(args.required("job"))), progress -> { });
            System.out.println(JSON.valueToTree(result));
            return;
        }
        args.allow(Set.of("model", "adapter", "data", "out", "full", "epochs", "lr", "batch", "grad-accum", "rank",
                "alpha", "dropout", "targets", "warmup", "max-length", "checkpoint-every", "resume", "seed", "merge",
                "threads", "weight-decay", "dtype", "attention-chunk", "recompute"));
        List<SftExample> examples = new ArrayList<>();
        for (String line : lines(Path.of(args.required("data")))) {
            examples.add(SftExample.fromJson(readJson(line)));
        }
        Path out = Path.of(args.required("out"));
        TrainingConfig.Builder builder = TrainingConfig.builder();
        if (args.flag("full")) {
            builder.fullFineTuning();
        } else {
            LoraConfig preset = LoraConfig.paperPreset();
            String targets = args.string("targets", String.join(",", preset.targetModules()));
            builder.lora(new LoraConfig(args.integer("rank", preset.rank()), args.number("alpha", preset.alpha()),
                    args.number("dropout", preset.dropout()), Arrays.asList(targets.split(","))));
        }
        TrainingConfig defaults = TrainingConfig.paperPreset();
        TrainingConfig config = builder.learningRate(args.number("lr", defaults.learningRate()))
                .epochs(args.integer("epochs", defaults.epochs())).batchSize(args.integer("batch", defaults.batchSize()))
                .gradAccumulation(args.integer("grad-accum", 1)).warmupRatio(args.number("warmup", defaults.warmupRatio()))
                .weightDecay(args.number("weight-decay", defaults.weightDecay()))
                .maxLength(args.integer("max-length", defaults.maxLength())).seed(args.integer("seed", 42))
                .checkpointDir(out.resolve("checkpoints")).checkpointEvery(args.integer("checkpoint-every", 0))
                .resume(args.flag("resume")).dtype(DataType.valueOf(args.string("dtype", "float32").toUpperCase(Locale.ROOT)))
                .attentionChunk(args.integer("attention-chunk", 0)).recompute(args.flag("recompute")).build();
        try (StudentModel model = StudentModel.load(Path.of(args.required("model")), args.path("adapter"))) {
            SftTrainer trainer = new SftTrainer(model, config);
            TrainingResult result = trainer.train(examples, progress -> { });
            if (config.fullFineTuning()) {
                model.saveMerged(out);
            } else {
                model.saveAdapter(out);
                if (args.flag("merge")) {
                    model.saveMerged(out.resolve("merged"));
                }
            }
            ObjectNode summary = JSON.valueToTree(result);
            summary.put("out", out.toAbsolutePath().toString());
            System.out.println(summary);
        }
    }

    private static void generate(Args args) {
        args.allow(Set.of("model", "adapter", "prompt", "prompts", "max-new-tokens", "temperature", "top-p", "stop",
                "seed", "batch", "no-kv-cache", "threads"));
        List<JsonNode> inputs = new ArrayList<>();
        if (args.string("prompt", null) != null) {
            inputs.add(JSON.createObjectNode().put("prompt", args.string("prompt", null)));
        } else {
            for (String line : lines(Path.of(args.required("prompts")))) {
                inputs.add(readJson(line));
            }
        }
        GenerationConfig paper = GenerationConfig.paperPreset();
        GenerationConfig config = new GenerationConfig(args.integer("max-new-tokens", paper.maxNewTokens()),
                args.number("temperature", paper.temperature()), args.number("top-p", paper.topP()),
                args.all("stop"), args.integer("seed", 0), !args.flag("no-kv-cache"));
        int batch = args.integer("batch", 8);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (StudentModel model = StudentModel.load(Path.of(args.required("model")), args.path("adapter"))) {
            for (int from = 0; from < inputs.size(); from += batch) {
                List<JsonNode> chunk = inputs.subList(from, Math.min(from + batch, inputs.size()));
                List<String> prompts = chunk.stream().map(n -> n.path("prompt").asText()).toList();
                List<Generation> generations = model.generate(prompts, config);
                for (int i = 0; i < chunk.size(); i++) {
                    ObjectNode line = JSON.createObjectNode();
                    if (chunk.get(i).has("id")) {
                        line.set("id", chunk.get(i).get("id"));
                    }
                    line.put("text", generations.get(i).text());
                    line.put("outputTokens", generations.get(i).outputTokens());
                    line.put("finishReason", generations.get(i).finishReason().name());
                    out.println(line);
                }
            }
        }
    }

    private static void forward(Args args) {
        args.allow(Set.of("model", "adapter", "input-ids", "threads"));
        long[] ids = Arrays.stream(args.required("input-ids").split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
        try (StudentModel model = StudentModel.load(Path.of(args.required("model")), args.path("adapter"))) {
            float[][] logits = model.logits(new long[][] {ids})[0];
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            JSON.writeValue(out, logits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println();
    }

    /** Serves until the process is stopped; prints one JSON line with the address once it listens. */
    private static void serve(Args args) {
        args.allow(Set.of("model", "adapter", "host", "port", "served-model-name", "max-batch", "threads"));
        String model = args.required("model");
        MultiLoraModel student = MultiLoraModel.load(Path.of(model));
        CompletionServer server;
        try {
            for (String adapter : args.all("adapter")) {
                int eq = adapter.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--adapter needs NAME=DIR, got '" + adapter + "'");
                }
                student.addAdapter(adapter.substring(0, eq), Path.of(adapter.substring(eq + 1)));
            }
            server = CompletionServer.start(student, args.string("served-model-name", model), args.string("host", "127.0.0.1"),
                    args.integer("port", 8000), args.integer("max-batch", 8));
        } catch (IOException e) {
            student.close();
            throw new UncheckedIOException("cannot listen", e);
        } catch (RuntimeException e) {
            student.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        ObjectNode ready = JSON.createObjectNode().put("url", server.baseUrl()).put("model", server.baseName());
        ready.putArray("adapters").addAll(args.all("adapter").stream()
                .map(a -> JSON.getNodeFactory().textNode(a.substring(0, a.indexOf('=')))).toList());
        System.out.println(ready);
        System.out.flush();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode readJson(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + line, e);
        }
    }
}
