package io.twt.eval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.twt.common.GenerationCap;
import io.twt.common.Json;
import io.twt.common.TaskKind;
import io.twt.eval.domain.dataset.DatasetFormat;
import io.twt.eval.domain.dataset.DatasetReader;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Isolation;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxLimits;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.ModelOutput;
import io.twt.eval.domain.scoring.PredictionMatch;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.eval.domain.model.LmModelLoader;
import io.twt.eval.domain.model.EvaluatedModel;
import io.twt.eval.domain.model.VersionEvaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./twt eval}: scores a model, or a file of predictions made elsewhere, on a benchmark file.
 * <pre>
 * EvalCli --dataset FILE [--format mbpp|csqa|gsm8k|metamath|queries]
 *         (--model DIR [--adapter DIR] | --predictions FILE.jsonl) [--limit N] [--out FILE.json]
 *         [--max-new-tokens N] [--batch-size N] [--cpu-time SECONDS] [--timeout SECONDS] [--allow-unsandboxed]
 * </pre>
 * Code runs in the sandbox; where no namespaces work, code tasks are refused (exit 2, the message names the cause
 * and the fix) unless --allow-unsandboxed, which prints what generated code can then reach.
 * Prints one summary line per task and the JSON {task, metric, value, n, avgOutputTokens,
 * outputTokenDistribution, examples: [{id, correct, outputTokens, answer?, error?}]} (to --out, or stdout,
 * the summary then going to stderr). Predictions are JSONL {"id", "output", "outputTokens"?}; without
 * outputTokens they are counted with --model's tokenizer when given, else as whitespace-separated words.
 */
public final class EvalCli {

    private EvalCli() {
    }

    record Options(Path dataset, DatasetFormat format, Path model, Path adapter, Path predictions, int limit, Path out,
                   int maxNewTokens, int batchSize, int cpuSeconds, int timeoutSeconds, boolean allowUnsandboxed) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            boolean allowUnsandboxed = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--allow-unsandboxed")) {
                    allowUnsandboxed = true;
                    continue;
                }
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
                }
                values.put(args[i].substring(2), args[++i]);
            }
            List<String> known = List.of("dataset", "format", "model", "adapter", "predictions", "limit", "out",
                    "max-new-tokens", "batch-size", "cpu-time", "timeout");
            for (String key : values.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("unknown option --" + key);
                }
            }
            if (!values.containsKey("dataset")) {
                throw new IllegalArgumentException("--dataset FILE is required");
            }
            if (!values.containsKey("model") && !values.containsKey("predictions")) {
                throw new IllegalArgumentException("give --model DIR or --predictions FILE");
            }
            return new Options(Path.of(values.get("dataset")),
                    values.containsKey("format") ? DatasetFormat.fromName(values.get("format")) : null,
                    path(values.get("model")), path(values.get("adapter")), path(values.get("predictions")),
                    Integer.parseInt(values.getOrDefault("limit", String.valueOf(Integer.MAX_VALUE))),
                    path(values.get("out")), Integer.parseInt(values.getOrDefault("max-new-tokens", "2048")),
                    Integer.parseInt(values.getOrDefault("batch-size", "8")),
                    Integer.parseInt(values.getOrDefault("cpu-time", "10")),
                    Integer.parseInt(values.getOrDefault("timeout", "60")), allowUnsandboxed);
        }

        private static Path path(String value) {
            return value == null ? null : Path.of(value);
        }
    }

    private static final String USAGE = """
            usage: eval --dataset FILE [--format mbpp|csqa|gsm8k|metamath|queries]
                        (--model DIR [--adapter DIR] | --predictions FILE.jsonl) [--limit N] [--out FILE.json]
                        [--max-new-tokens N] [--batch-size N] [--cpu-time SECONDS] [--timeout SECONDS] [--allow-unsandboxed]""";

    public static void main(String[] args) {
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (List.of(args).contains("--help")) {
            stdout.println(USAGE);
            return;
        }
        try {
            Options options = Options.parse(args);
            List<TaskScore> scores = run(options);
            String json = Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(scores.size() == 1 ? scores.get(0) : scores);
            PrintStream summary = options.out() == null ? System.err : stdout;
            scores.forEach(score -> summary.println(score.summaryLine()));
            if (options.out() == null) {
                stdout.println(json);
            } else {
                Files.writeString(options.out(), json + "\n");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("eval: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("eval failed: " + e);
            System.exit(1);
        }
    }

    static List<TaskScore> run(Options options) throws IOException {
        List<EvalItem> items = DatasetReader.read(options.dataset(), options.format());
        items = items.subList(0, Math.min(items.size(), options.limit()));
        Path work = Path.of(System.getProperty("java.io.tmpdir")).resolve("twt-eval-sandbox");
        SandboxLimits defaults = SandboxLimits.defaults();
        SandboxLimits limits = new SandboxLimits(Duration.ofSeconds(options.cpuSeconds()),
                Duration.ofSeconds(options.timeoutSeconds()), defaults.memoryBytes(), defaults.maxProcesses(),
                defaults.maxFileBytes(), defaults.maxOutputChars());
        Evaluator evaluator = new Evaluator(new Scorer(sandboxFor(items, options,
                SandboxSetup.defaults(work).withLimits(limits))), 2);
        LmModelLoader loader = new LmModelLoader();
        if (options.predictions() == null) {
            Map<TaskKind, List<EvalItem>> byTask = new EnumMap<>(TaskKind.class);
            items.forEach(item -> byTask.computeIfAbsent(item.task(), t -> new ArrayList<>()).add(item));
            // a model from files comes without its training completions: the limit and the context cap it
            GenerationCap cap = new GenerationCap(options.maxNewTokens(), 1, 0);
            return List.copyOf(new VersionEvaluator(byTask, loader, evaluator, options.batchSize(), cap)
                    .evaluate(options.model(), options.adapter(), null, null).values());
        }
        List<ModelOutput> outputs;
        if (options.model() != null) {
            try (EvaluatedModel tokenizer = loader.load(options.model(), options.adapter(), null)) {
                outputs = predictions(options.predictions(), items, tokenizer);
            }
        } else {
            outputs = predictions(options.predictions(), items, null);
        }
        return List.copyOf(evaluator.evaluate(items, outputs).values());
    }

    /**
     * The sandbox for a dataset with code in it: refused (an IllegalArgumentException, so exit 2) where no namespaces
     * work and the user did not opt in; with the opt-in, or at the middle level, says on stderr what stays reachable.
     */
    static Sandbox sandboxFor(List<EvalItem> items, Options options, SandboxSetup setup) {
        if (items.stream().noneMatch(item -> item.task() == TaskKind.CODE)) {
            // no code to run: a sandbox that is never used, without probing the machine for namespaces
            return Sandbox.withIsolation(setup, Isolation.LIMITS_ONLY);
        }
        Sandbox sandbox = Sandbox.create(setup.requiringNamespaces(!options.allowUnsandboxed()));
        if (sandbox.refusesCode()) {
            throw new IllegalArgumentException(sandbox.refusal());
        }
        if (sandbox.isolation() != Isolation.BUBBLEWRAP) {
            System.err.println("eval: code sandbox " + sandbox.summary());
        }
        return sandbox;
    }

    /**
     * The prediction for each example in dataset order, matched by the dataset's own ids; says on stderr how
     * many matched when not all did, with unmatched ids from both sides.
     */
    static List<ModelOutput> predictions(Path file, List<EvalItem> items, EvaluatedModel tokenizer) throws IOException {
        List<PredictionMatch.Prediction> predictions = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode node = Json.MAPPER.readTree(lines.get(i));
            if (!node.hasNonNull("id") || !node.has("output")) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": needs \"id\" and \"output\"");
            }
            predictions.add(new PredictionMatch.Prediction(node.get("id").asText(), node.get("output").asText(),
                    node.hasNonNull("outputTokens") ? node.get("outputTokens").asInt() : null));
        }
        PredictionMatch match = PredictionMatch.of(items, predictions, text -> tokenizer != null
                ? tokenizer.countTokens(text) : text.isBlank() ? 0 : text.strip().split("\\s+").length);
        if (!match.complete()) {
            System.err.println("eval: " + match.message());
        }
        return match.outputs();
    }
}
