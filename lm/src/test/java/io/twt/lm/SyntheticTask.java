package io.twt.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small task a tiny model learns in seconds: name the kind of an item. Every item appears in the training set
 * under four phrasings and in the held-out set under a fifth, so held-out prompts are new text.
 */
final class SyntheticTask {

    static final Map<String, List<String>> KINDS = Map.of(
            "fruit", List.of("apple", "banana", "cherry", "grape", "lemon", "mango", "peach", "plum"),
            "animal", List.of("cat", "dog", "horse", "mouse", "tiger", "zebra", "sheep", "goat"),
            "tool", List.of("hammer", "saw", "drill", "wrench", "chisel", "pliers", "spade", "rake"),
            "vehicle", List.of("car", "bus", "truck", "train", "bicycle", "tram", "boat", "plane"));

    private static final List<String> TRAIN_TEMPLATES = List.of("Item: %s\nKind:", "Object: %s\nKind:", "Name: %s\nKind:",
            "Word: %s\nKind:");
    private static final String HELD_OUT_TEMPLATE = "Thing: %s\nKind:";

    private SyntheticTask() {
    }

    static List<SftExample> train() {
        List<SftExample> examples = new ArrayList<>();
        for (String template : TRAIN_TEMPLATES) {
            examples.addAll(examples(template));
        }
        return examples;
    }

    static List<SftExample> heldOut() {
        return examples(HELD_OUT_TEMPLATE);
    }

    static List<String> corpus() {
        List<String> corpus = new ArrayList<>();
        for (SftExample e : train()) {
            corpus.add(e.prompt() + e.completion());
        }
        for (SftExample e : heldOut()) {
            corpus.add(e.prompt() + e.completion());
        }
        return corpus;
    }

    private static List<SftExample> examples(String template) {
        List<SftExample> examples = new ArrayList<>();
        KINDS.keySet().stream().sorted().forEach(kind -> {
            for (String item : KINDS.get(kind)) {
                examples.add(new SftExample(String.format(template, item), " " + kind));
            }
        });
        return examples;
    }
}
