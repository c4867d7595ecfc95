package io.twt.lab.task;

import io.twt.common.TaskKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Five-choice questions (CQA-shaped) whose right choice takes a few steps: order people from comparisons,
 * or find the expression with the largest or smallest value. Gold is the letter, A to E.
 */
public final class ChoiceQuestions {

    private static final int CHOICES = 5;
    private static final List<String> NAMES = List.of("Ann", "Bea", "Cal", "Dan", "Eve", "Fay", "Gus", "Hal",
            "Ivy", "Jon", "Kim", "Lou");
    // an attribute: its "more" and "less" comparatives and superlatives
    private static final List<String[]> ATTRIBUTES = List.of(
            new String[]{"older", "younger", "oldest", "youngest"},
            new String[]{"taller", "shorter", "tallest", "shortest"},
            new String[]{"faster", "slower", "fastest", "slowest"});
    // the options as a prompt lists them: "A. Ann", "B) Ann", "(C) Ann"
    private static final Pattern OPTION = Pattern.compile("(?m)^\\s*\\(?([A-E])[.)]\\)?\\s+(.+?)\\s*$");

    public static final List<TaskFamily> FAMILIES = List.of(new Ordering(), new Expressions());

    private ChoiceQuestions() {
    }

    /** "Ann is older than Bea. ... Who is the youngest?" over five people. */
    private static final class Ordering implements TaskFamily {

        private static final Pattern FACT = Pattern.compile("([A-Z][a-z]+) is (older|younger|taller|shorter|faster|slower) than ([A-Z][a-z]+)\\.");
        private static final Pattern QUESTION = Pattern.compile("Who is the (oldest|youngest|tallest|shortest|fastest|slowest)\\?");

        @Override
        public TaskKind kind() {
            return TaskKind.MCQ;
        }

        @Override
        public GeneratedTask generate(Random random) {
            List<String> ranking = new ArrayList<>(NAMES);
            Collections.shuffle(ranking, random);
            ranking = ranking.subList(0, CHOICES);
            String[] attribute = ATTRIBUTES.get(random.nextInt(ATTRIBUTES.size()));
            List<String> facts = new ArrayList<>();
            for (int i = 0; i + 1 < ranking.size(); i++) {
                facts.add(random.nextBoolean()
                        ? "%s is %s than %s.".formatted(ranking.get(i), attribute[0], ranking.get(i + 1))
                        : "%s is %s than %s.".formatted(ranking.get(i + 1), attribute[1], ranking.get(i)));
            }
            Collections.shuffle(facts, random);
            boolean most = random.nextBoolean();
            String answer = most ? ranking.getFirst() : ranking.getLast();
            List<String> choices = new ArrayList<>(ranking);
            Collections.shuffle(choices, random);
            String text = String.join(" ", facts) + " Who is the " + attribute[most ? 2 : 3] + "?";
            return new GeneratedTask(text, choices, null, letter(choices.indexOf(answer)));
        }

        @Override
        public Optional<Solution> solve(String text, Random mistakes) {
            Matcher question = QUESTION.matcher(text);
            Map<String, String> options = options(text);
            if (!question.find() || options.size() < 2) {
                return Optional.empty();
            }
            String superlative = question.group(1);
            String[] attribute = ATTRIBUTES.stream().filter(a -> a[2].equals(superlative) || a[3].equals(superlative))
                    .findFirst().orElseThrow();
            // "above" maps each person to the one directly "more" than them
            Map<String, String> above = new HashMap<>();
            Matcher fact = FACT.matcher(text);
            while (fact.find()) {
                boolean more = fact.group(2).equals(attribute[0]);
                above.put(more ? fact.group(3) : fact.group(1), more ? fact.group(1) : fact.group(3));
            }
            List<String> order = chain(above);
            if (order.size() < 2) {
                return Optional.empty();
            }
            boolean most = superlative.equals(attribute[2]);
            String person = most ? order.getFirst() : order.getLast();
            String letter = letterOf(options, person);
            if (letter == null) {
                return Optional.empty();
            }
            String wrongLetter = otherLetter(options, letter, mistakes);
            String wrongPerson = options.get(wrongLetter);
            Step orderStep = new Step("From the facts, the order from %s to %s is %s.".formatted(
                    attribute[2], attribute[3], String.join(", ", order)), String.join(">", order));
            return Optional.of(new Solution(TaskKind.MCQ,
                    List.of(orderStep, conclusion(person, superlative, letter)), letter,
                    conclusion(wrongPerson, superlative, wrongLetter), wrongLetter));
        }

        private static Step conclusion(String person, String superlative, String letter) {
            return new Step("So %s is the %s, choice %s.".formatted(person, superlative, letter),
                    "%s=%s".formatted(superlative, letter));
        }

        /** The ranking from the top: start at the one nobody is above, then follow "above" downwards. */
        private static List<String> chain(Map<String, String> above) {
            Map<String, String> below = new HashMap<>();
            above.forEach((lower, upper) -> below.put(upper, lower));
            String top = below.keySet().stream().filter(p -> !above.containsKey(p)).findFirst().orElse(null);
            List<String> order = new ArrayList<>();
            for (String p = top; p != null && !order.contains(p); p = below.get(p)) {
                order.add(p);
            }
            return order;
        }
    }

    /**
     * "Which expression has the largest value?" over five expressions of one-digit numbers with distinct values
     * (0 to 12): each has to be worked out before they can be compared.
     */
    private static final class Expressions implements TaskFamily {

        private static final Pattern QUESTION = Pattern.compile("Which expression has the (largest|smallest) value\\?");
        private static final int MOST = 12;

        @Override
        public TaskKind kind() {
            return TaskKind.MCQ;
        }

        @Override
        public GeneratedTask generate(Random random) {
            List<Integer> values = new ArrayList<>();
            for (int v = 0; v <= MOST; v++) {
                values.add(v);
            }
            Collections.shuffle(values, random);
            values = values.subList(0, CHOICES);
            boolean largest = random.nextBoolean();
            int picked = largest ? Collections.max(values) : Collections.min(values);
            List<String> choices = values.stream().map(v -> OneDigitExpression.worth(random, v)).toList();
            return new GeneratedTask("Which expression has the %s value?".formatted(largest ? "largest" : "smallest"),
                    choices, null, letter(values.indexOf(picked)));
        }

        @Override
        public Optional<Solution> solve(String text, Random mistakes) {
            Matcher question = QUESTION.matcher(text);
            Map<String, String> options = options(text);
            if (!question.find() || options.size() < 2) {
                return Optional.empty();
            }
            String superlative = question.group(1);
            Map<String, Long> values = new LinkedHashMap<>();
            for (Map.Entry<String, String> option : options.entrySet()) {
                OptionalLong value = OneDigitExpression.valueOf(option.getValue());
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                values.put(option.getKey(), value.getAsLong());
            }
            Comparator<Map.Entry<String, Long>> byValue = Map.Entry.comparingByValue();
            String letter = values.entrySet().stream()
                    .max(superlative.equals("largest") ? byValue : byValue.reversed()).orElseThrow().getKey();
            String evaluated = values.entrySet().stream()
                    .map(e -> "%s = %d".formatted(options.get(e.getKey()), e.getValue()))
                    .collect(Collectors.joining(", "));
            String wrong = otherLetter(options, letter, mistakes);
            return Optional.of(new Solution(TaskKind.MCQ,
                    List.of(new Step("Working each out: " + evaluated + ".", evaluated.replace(" ", "")),
                            pickStep(options.get(letter), values.get(letter), superlative, letter)),
                    letter, pickStep(options.get(wrong), values.get(wrong), superlative, wrong), wrong));
        }

        private static Step pickStep(String expression, long value, String superlative, String letter) {
            return new Step("The %s is %s = %d, choice %s.".formatted(superlative, expression, value, letter),
                    "%s=%d:%s".formatted(superlative.equals("largest") ? "max" : "min", value, letter));
        }
    }

    /** The options listed in a prompt, letter to text, in order. */
    static Map<String, String> options(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            options.putIfAbsent(m.group(1), m.group(2));
        }
        return options;
    }

    private static String letterOf(Map<String, String> options, String value) {
        return options.entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private static String otherLetter(Map<String, String> options, String right, Random mistakes) {
        List<String> others = options.keySet().stream().filter(l -> !l.equals(right)).toList();
        return others.get(mistakes.nextInt(others.size()));
    }

    private static String letter(int index) {
        return String.valueOf((char) ('A' + index));
    }
}
