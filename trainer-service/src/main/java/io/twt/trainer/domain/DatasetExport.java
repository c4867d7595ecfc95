package io.twt.trainer.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.common.Json;
import io.twt.trainer.domain.RoundLedger.RoundEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stage's distilled dataset as JSONL that other trainers read, rebuilt from the model store exactly as the round
 * built it (G's snapshot, the recipe, the rationales its compression pass collected): the same examples, in the same
 * order, as the stage's {@code train.jsonl}. Every line carries where its example came from.
 */
public final class DatasetExport {

    /** The JSONL layouts; each keeps the student's own prompt, so a model trained on it is prompted as the pipeline prompts. */
    public enum Format {
        /** OpenAI fine-tuning / TRL conversational: {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]} */
        MESSAGES,
        /** TRL prompt-completion, and what {@code ./twt lm train} reads: {"prompt", "completion"} */
        PROMPT_COMPLETION,
        /** ShareGPT: {"conversations": [{"from": "human", "value"}, {"from": "gpt", "value"}]} */
        SHAREGPT,
        /** Alpaca: {"instruction", "input": "", "output"} */
        ALPACA;

        /** The name as options and files spell it: prompt-completion. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Format of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + name + "'; expected messages, prompt-completion, sharegpt or alpaca");
            }
        }
    }

    /** One exported example and its origin. */
    public record Line(StageRecipe.Example example, DistillRow row, int round, int stage, String recipe) {
    }

    private DatasetExport() {
    }

    /**
     * The examples a stage trained on.
     *
     * @param round null: the newest round that has trained the stage
     * @throws IllegalArgumentException when the round or the stage does not exist (yet)
     */
    public static List<Line> lines(Path store, int stage, Integer round) {
        RoundLedger ledger = RoundLedger.open(store.resolve("rounds.json"));
        RoundEntry entry = round != null
                ? ledger.round(round).orElseThrow(() -> new IllegalArgumentException("there is no round " + round))
                : ledger.rounds().stream().filter(r -> r.stage(stage).isPresent()).max(Comparator.comparingInt(RoundEntry::round))
                        .orElseThrow(() -> new IllegalArgumentException("no round has trained stage " + stage + " yet"));
        Experiments experiments = entry.live() ? null : Experiments.open(store.resolve(Experiments.DIR));
        StageRecipe recipe = entry.live() ? StageRecipe.named(entry.recipe())
                : experiments.recipe(entry.experiment(), entry.recipe());
        if (stage < 1 || stage > recipe.stages().size()) {
            throw new IllegalArgumentException("recipe " + recipe.name() + " has stages 1-" + recipe.stages().size() + ", not " + stage);
        }
        if (entry.stage(stage).isEmpty()) {
            throw new IllegalArgumentException("round " + entry.round() + " has not trained stage " + stage + " yet");
        }
        StageRecipe.Stage target = recipe.stage(stage);
        Map<String, String> compressed = recipe.compressionBefore(target)
                .map(before -> RoundRunner.readRationales(RoundRunner.compressedFile(store, entry.round(), before.number())))
                .orElse(Map.of());
        List<DistillRow> rows = entry.live()
                ? DistillationSet.read(store.resolve("distillation-set.jsonl")).rows(entry.snapshotQueries())
                : experiments.rows(entry.experiment(), entry.recipe());
        List<Line> lines = new ArrayList<>();
        for (StageRecipe.SourcedExample sourced : recipe.sourcedExamples(target, rows, entry.round(), compressed)) {
            lines.add(new Line(sourced.example(), sourced.row(), entry.round(), stage, recipe.name()));
        }
        return lines;
    }

    /** Writes one JSON object per line. */
    public static void write(List<Line> lines, Format format, Writer out) {
        try {
            for (Line line : lines) {
                out.write(Json.MAPPER.writeValueAsString(render(line, format)));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export", e);
        }
    }

    static ObjectNode render(Line line, Format format) {
        ObjectNode node = render(line.example(), format);
        DistillRow row = line.row();
        node.putObject("metadata").put("queryId", row.query().id()).put("task", row.query().task().wire())
                .put("teacher", row.teacher()).put("confidence", row.sample().confidence()).put("round", line.round())
                .put("stage", line.stage()).put("recipe", line.recipe());
        return node;
    }

    /** One example in a layout, without its origin: a line of the dataset a stage job trains on. */
    public static ObjectNode render(StageRecipe.Example example, Format format) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        String prompt = example.prompt();
        String completion = example.completion();
        switch (format) {
            case MESSAGES -> {
                ArrayNode messages = node.putArray("messages");
                messages.addObject().put("role", "user").put("content", prompt);
                messages.addObject().put("role", "assistant").put("content", completion);
            }
            case PROMPT_COMPLETION -> node.put("prompt", prompt).put("completion", completion);
            case SHAREGPT -> {
                ArrayNode conversations = node.putArray("conversations");
                conversations.addObject().put("from", "human").put("value", prompt);
                conversations.addObject().put("from", "gpt").put("value", completion);
            }
            case ALPACA -> node.put("instruction", prompt).put("input", "").put("output", completion);
        }
        // a multi-task stage's loss weights, as lm's SftExample.fromJson reads them in any layout
        if (example.task() != null) {
            node.put("task", example.task()).put("taskWeight", example.taskWeight());
        }
        return node;
    }
}
