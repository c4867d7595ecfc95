package io.twt.lab.skills;

import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.task.OneDigitExpression;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The general skills the lab student is pretrained on before any distillation: arithmetic on bare expressions and
 * in short stories, ordering from comparisons, picking an option by its value, and small Python idioms. None of it
 * is a lab task: stories with other names, things and verbs than the lab's word problems, other relations than its
 * questions, other function shapes than its code tasks, so nothing here can appear in a distillation query or the
 * eval split (the split test checks it). The student learns how the lab's tasks use these skills only from the
 * teachers.
 * Examples are written in the student's own prompt format, half with working and half answer only.
 */
public final class SkillCorpus {

    /** Bumped whenever a generator changes, so a cached base model pretrained on an older corpus is not reused. */
    public static final int VERSION = 5;

    private static final List<String> NAMES = List.of("Max", "Nia", "Oli", "Pia", "Ray", "Sue", "Ted", "Uma",
            "Vic", "Wes", "Yan", "Zed");
    // a relation: its "more" and "less" comparatives and superlatives (the lab's questions use age, height, speed)
    private static final List<String[]> RELATIONS = List.of(
            new String[]{"heavier", "lighter", "heaviest", "lightest"},
            new String[]{"richer", "poorer", "richest", "poorest"},
            new String[]{"louder", "quieter", "loudest", "quietest"},
            new String[]{"stronger", "weaker", "strongest", "weakest"});
    private static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen", "twenty"};

    /** One skill example: the query as the student reads it, the working, and the answer. */
    public record SkillExample(Query query, String working, String answer) {

        public String prompt() {
            return StudentPrompt.prompt(query);
        }

        /** With the working ([x; r; y], as stage 1 trains) or answer only ([x; y], as stage 3 does). */
        public String completion(boolean withWorking) {
            return StudentPrompt.completion(withWorking ? working : null, answer);
        }
    }

    private static final List<Function<Random, SkillExample>> SKILLS = List.of(
            SkillCorpus::twoStepArithmetic, SkillCorpus::twoStepArithmetic, SkillCorpus::oneStepArithmetic,
            SkillCorpus::threeStepArithmetic, SkillCorpus::wordProblem, SkillCorpus::wordProblem,
            SkillCorpus::wordProblem, SkillCorpus::wordProblem, SkillCorpus::wordProblem, SkillCorpus::wordProblem,
            SkillCorpus::optionWorthTheMost, SkillCorpus::optionWorthTheMost, SkillCorpus::optionWorthTheMost,
            SkillCorpus::ordering, SkillCorpus::valueOfExpression, SkillCorpus::optionByValue,
            SkillCorpus::pythonArithmetic, SkillCorpus::pythonLists, SkillCorpus::numberWords);

    private SkillCorpus() {
    }

    /** {@code count} examples, the same for the same seed; skills in fixed proportions (arithmetic the most). */
    public static List<SkillExample> generate(int count, long seed) {
        Random random = new Random(seed);
        List<SkillExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            examples.add(SKILLS.get(random.nextInt(SKILLS.size())).apply(random));
        }
        return examples;
    }

    // --- arithmetic: the operations the lab's word problems need, on bare numbers -------------------------

    private static SkillExample oneStepArithmetic(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> arithmetic(new Term(between(r, 0, 9)).plus(between(r, 0, 9)));
            case 1 -> {
                int a = between(r, 1, 9);
                yield arithmetic(new Term(a).minus(between(r, 0, a)));
            }
            case 2 -> arithmetic(new Term(between(r, 2, 9)).times(between(r, 2, 5)));
            default -> {
                int b = between(r, 2, 4);
                yield arithmetic(new Term(b * between(r, 1, 5)).dividedBy(b));
            }
        };
    }

    /** The shapes the lab's two-step word problems take, on one-digit numbers as theirs are. */
    private static SkillExample twoStepArithmetic(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> {
                Term product = new Term(between(r, 2, 5)).times(between(r, 2, 4));
                yield arithmetic(product.minus(between(r, 1, Math.min(9, (int) product.value - 1))));
            }
            case 1 -> arithmetic(new Term(between(r, 2, 5)).times(between(r, 2, 4)).plus(between(r, 1, 9)));
            case 2 -> {
                Term sum = new Term(between(r, 1, 9)).plus(between(r, 1, 9));
                yield arithmetic(sum.minus(between(r, 1, 9)));
            }
            case 3 -> {
                int b = between(r, 2, 4);
                yield arithmetic(new Term(b * between(r, 1, 5)).dividedBy(b).plus(between(r, 1, 9)));
            }
            default -> {
                int a = between(r, 2, 9);
                Term difference = new Term(a).minus(between(r, 1, a));
                yield arithmetic(difference.plus(between(r, 1, 9)));
            }
        };
    }

    /** a + b*c - d, written with the product first as a person would work it out. */
    private static SkillExample threeStepArithmetic(Random r) {
        int a = between(r, 1, 9);
        int b = between(r, 2, 4);
        int c = between(r, 2, 3);
        int d = between(r, 1, 9);
        String times = r.nextBoolean() ? "*" : " x ";
        String text = "Compute %d + %d%s%d - %d.".formatted(a, b, times, c, d);
        String working = "%d*%d=%d; %d+%d=%d; %d-%d=%d".formatted(b, c, b * c, a, b * c, a + b * c, a + b * c, d,
                a + b * c - d);
        return new SkillExample(query(TaskKind.MATH, text, null), working, String.valueOf(a + b * c - d));
    }

    private static final List<String> THINGS = List.of("marbles", "rocks", "stamps", "books", "cups", "eggs");

    /**
     * Reading the numbers of a short story and doing its two or three steps, composed from many openings and changes
     * so that what the student learns is reading numbers from text, not a template: other names, things and verbs
     * than the lab's word problems, so the lab's own templates come only from the teachers.
     */
    private static SkillExample wordProblem(Random r) {
        String name = NAMES.get(r.nextInt(NAMES.size()));
        String things = THINGS.get(r.nextInt(THINGS.size()));
        StringBuilder text = new StringBuilder();
        Term story;
        int changes;
        if (r.nextBoolean()) {
            int a = between(r, 1, 9);
            text.append(pick(r, "%s has %d %s.", "%s starts with %d %s.", "%s owns %d %s.", "There are %2$d %3$s in %1$s's bag.")
                    .formatted(name, a, things));
            story = new Term(a);
            changes = 2;
        } else {
            int groups = between(r, 2, 4);
            int each = between(r, 2, 5);
            text.append(pick(r, "%s picks %d bags of %d %s.", "%s fills %d jars with %d %s each.",
                    "%s stacks %d rows of %d %s.", "%s makes %d piles of %d %s.").formatted(name, groups, each, things));
            story = new Term(groups).times(each);
            changes = 1;
        }
        for (int i = 0; i < changes; i++) {
            int kind = r.nextInt(i == 0 && changes == 2 ? 4 : 3);
            if (kind == 3) {
                int perDay = between(r, 2, 4);
                int days = between(r, 2, 3);
                text.append(pick(r, " Then %s gets %d more a day for %d days.", " Then %s collects %d a day for %d days.")
                        .formatted(name, perDay, days));
                story = story.plusProduct(perDay, days);
            } else if (kind == 2 && story.value() % 2 == 0 && story.value() > 0) {
                int parts = story.value() % 3 == 0 && r.nextBoolean() ? 3 : 2;
                text.append(pick(r, " %s splits them into %d equal piles and keeps one.",
                        " %s puts them into %d equal groups and keeps one group.").formatted(name, parts));
                story = story.dividedBy(parts);
            } else if (kind == 1 && story.value() > 0) {
                int lost = between(r, 1, (int) Math.min(9, story.value()));
                text.append(pick(r, " %s loses %d.", " %s drops %d.", " %s sells %d.", " Then %s breaks %d.")
                        .formatted(name, lost));
                story = story.minus(lost);
            } else {
                int found = between(r, 1, 9);
                text.append(pick(r, " %s finds %d more.", " %s wins %d.", " %s is handed %d more.", " Then %s adds %d.")
                        .formatted(name, found));
                story = story.plus(found);
            }
        }
        text.append(pick(r, " How many %s does %s have now?", " How many %s are there now?", " How many %s does %s end with?")
                .formatted(things, name));
        return new SkillExample(query(TaskKind.MATH, text.toString(), null), story.working(),
                String.valueOf(story.value()));
    }

    private static String pick(Random r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** An expression built left to right, with its working one operation at a time. */
    private record Term(String text, String working, long value) {
        Term(long value) {
            this(String.valueOf(value), "", value);
        }

        Term plus(long b) {
            return next("+", b, value + b);
        }

        Term minus(long b) {
            return next("-", b, value - b);
        }

        Term times(long b) {
            return next("*", b, value * b);
        }

        Term dividedBy(long b) {
            return next("/", b, value / b);
        }

        /** Adds a * b, writing the product's step first as a person would. */
        Term plusProduct(long a, long b) {
            String product = "%d*%d=%d".formatted(a, b, a * b);
            return new Term(text, working.isEmpty() ? product : working + "; " + product, value).plus(a * b);
        }

        private Term next(String op, long b, long result) {
            String step = "%d%s%d=%d".formatted(value, op, b, result);
            return new Term(text + " " + op + " " + b, working.isEmpty() ? step : working + "; " + step, result);
        }
    }

    private static SkillExample arithmetic(Term term) {
        return new SkillExample(query(TaskKind.MATH, "Compute " + term.text() + ".", null), term.working(),
                String.valueOf(term.value()));
    }

    // --- multiple choice: ordering, values of expressions, options by value ------------------------------

    /** Three to five people ordered by comparisons of one relation; which is the most or the least. */
    private static SkillExample ordering(Random r) {
        List<String> ranking = new ArrayList<>(NAMES);
        Collections.shuffle(ranking, r);
        ranking = ranking.subList(0, between(r, 3, 5));
        String[] relation = RELATIONS.get(r.nextInt(RELATIONS.size()));
        List<String> facts = new ArrayList<>();
        for (int i = 0; i + 1 < ranking.size(); i++) {
            facts.add(r.nextBoolean()
                    ? "%s is %s than %s.".formatted(ranking.get(i), relation[0], ranking.get(i + 1))
                    : "%s is %s than %s.".formatted(ranking.get(i + 1), relation[1], ranking.get(i)));
        }
        Collections.shuffle(facts, r);
        boolean most = r.nextBoolean();
        String person = most ? ranking.getFirst() : ranking.getLast();
        List<String> choices = new ArrayList<>(ranking);
        Collections.shuffle(choices, r);
        String letter = letter(choices.indexOf(person));
        String working = "Order from %s to %s: %s. So %s, choice %s.".formatted(relation[2], relation[3],
                String.join(" > ", ranking), person, letter);
        return new SkillExample(query(TaskKind.MCQ, String.join(" ", facts) + " Who is the " + relation[most ? 2 : 3] + "?",
                choices), working, letter);
    }

    /** "What is 3 + 5?" with five numbers to pick from, one of them right and the others near it. */
    private static SkillExample valueOfExpression(Random r) {
        int value = between(r, 0, 18);
        String expression = OneDigitExpression.worth(r, value);
        List<String> choices = nearValues(r, value);
        String letter = letter(choices.indexOf(String.valueOf(value)));
        String working = "%s = %d, choice %s.".formatted(expression, value, letter);
        return new SkillExample(query(TaskKind.MCQ, "What is %s?".formatted(expression), choices), working, letter);
    }

    /** "Which choice is worth the most?" over five sums, differences and products of one-digit numbers. */
    private static SkillExample optionWorthTheMost(Random r) {
        List<Integer> all = new ArrayList<>(IntStream.rangeClosed(0, 18).boxed().toList());
        Collections.shuffle(all, r);
        List<Integer> values = all.subList(0, 5);
        boolean most = r.nextBoolean();
        int picked = most ? Collections.max(values) : Collections.min(values);
        List<String> choices = values.stream().map(v -> OneDigitExpression.worth(r, v)).toList();
        String letter = letter(values.indexOf(picked));
        String working = "%s. The %s is %d, choice %s.".formatted(
                IntStream.range(0, 5).mapToObj(i -> choices.get(i).replace(" ", "") + "=" + values.get(i))
                        .collect(Collectors.joining(", ")), most ? "most" : "least", picked, letter);
        return new SkillExample(query(TaskKind.MCQ, "Which choice is worth the %s?".formatted(most ? "most" : "least"),
                choices), working, letter);
    }

    /** "Which choice is the largest number?" / "Which choice is 7?" over five numbers. */
    private static SkillExample optionByValue(Random r) {
        long center = between(r, 3, 25);
        List<String> choices = nearValues(r, center);
        String text;
        String picked;
        switch (r.nextInt(3)) {
            case 0 -> {
                picked = choices.stream().max((x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y))).orElseThrow();
                text = "Which choice is the largest number?";
            }
            case 1 -> {
                picked = choices.stream().min((x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y))).orElseThrow();
                text = "Which choice is the smallest number?";
            }
            default -> {
                picked = String.valueOf(center);
                text = "Which choice is %d?".formatted(center);
            }
        }
        String letter = letter(choices.indexOf(picked));
        return new SkillExample(query(TaskKind.MCQ, text, choices), "%s is choice %s.".formatted(picked, letter), letter);
    }

    private static List<String> nearValues(Random r, long value) {
        List<String> choices = new ArrayList<>(List.of(String.valueOf(value)));
        while (choices.size() < 5) {
            long near = value + (r.nextBoolean() ? 1 : -1) * between(r, 1, 5);
            if (near >= 0 && !choices.contains(String.valueOf(near))) {
                choices.add(String.valueOf(near));
            }
        }
        Collections.shuffle(choices, r);
        return choices;
    }

    // --- code: Python idioms in other shapes than the lab's tasks ----------------------------------------

    private static final List<String> FUNCTION_NAMES = List.of("f", "g", "h", "calc", "step", "value_of");

    /** "Write a Python function f(n) that doubles n and subtracts 3." with f's one-line body. */
    private static SkillExample pythonArithmetic(Random r) {
        String name = FUNCTION_NAMES.get(r.nextInt(FUNCTION_NAMES.size()));
        int a = between(r, 2, 12);
        int b = between(r, 1, 20);
        String text;
        String body;
        String working;
        switch (r.nextInt(3)) {
            case 0 -> {
                text = "Write a Python function %s(n) that multiplies n by %d and subtracts %d.".formatted(name, a, b);
                body = "return n * %d - %d".formatted(a, b);
                working = "Multiply n by %d, then subtract %d.".formatted(a, b);
            }
            case 1 -> {
                text = "Write a Python function %s(n) that adds %d to n and multiplies the sum by %d.".formatted(name, b, a);
                body = "return (n + %d) * %d".formatted(b, a);
                working = "Add %d first, then multiply by %d.".formatted(b, a);
            }
            default -> {
                text = "Write a Python function %s(n) that returns the larger of n and %d.".formatted(name, b);
                body = "return max(n, %d)".formatted(b);
                working = "Take max of n and %d.".formatted(b);
            }
        }
        String program = "def %s(n):\n    %s".formatted(name, body);
        return new SkillExample(query(TaskKind.CODE, text, null), working, program);
    }

    /** List idioms: count, sum or keep the numbers that pass a test, with a generator expression. */
    private static SkillExample pythonLists(Random r) {
        String name = FUNCTION_NAMES.get(r.nextInt(FUNCTION_NAMES.size()));
        int k = between(r, 2, 20);
        String param = "values";
        String text;
        String body;
        String working;
        switch (r.nextInt(4)) {
            case 0 -> {
                text = "Write a Python function %s(values) that counts the values below %d.".formatted(name, k);
                body = "return sum(1 for v in values if v < %d)".formatted(k);
                working = "Count v with v < %d.".formatted(k);
            }
            case 1 -> {
                text = "Write a Python function %s(values) that adds up the even values.".formatted(name);
                body = "return sum(v for v in values if v % 2 == 0)";
                working = "Add up v with v % 2 == 0.";
            }
            case 2 -> {
                text = "Write a Python function %s(values) that keeps the values at least %d.".formatted(name, k);
                body = "return [v for v in values if v >= %d]".formatted(k);
                working = "Keep v with v >= %d.".formatted(k);
            }
            default -> {
                param = "word";
                text = "Write a Python function %s(word) that joins word with itself %d times.".formatted(name, k % 6 + 2);
                body = "return word * %d".formatted(k % 6 + 2);
                working = "Repeat word with word * %d.".formatted(k % 6 + 2);
            }
        }
        return new SkillExample(query(TaskKind.CODE, text, null), working, "def %s(%s):\n    %s".formatted(name, param, body));
    }

    /** Number words as Python function names spell them ("twelve" is 12). */
    private static SkillExample numberWords(Random r) {
        int a = between(r, 0, 20);
        int b = between(r, 0, 20);
        String text = "What numbers do %s and %s stand for?".formatted(WORDS[a], WORDS[b]);
        return new SkillExample(query(TaskKind.MATH, text, null), "%s is %d, %s is %d".formatted(WORDS[a], a, WORDS[b], b),
                "%d %d".formatted(a, b));
    }

    private static Query query(TaskKind kind, String text, List<String> choices) {
        return Query.of("skill", kind, text, choices, null, "lab-skills", null);
    }

    private static int between(Random random, int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    private static String letter(int index) {
        return String.valueOf((char) ('A' + index));
    }
}
