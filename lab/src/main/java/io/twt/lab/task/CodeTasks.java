package io.twt.lab.task;

import static io.twt.lab.task.Numbers.between;
import static io.twt.lab.task.Numbers.word;

import io.twt.common.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Small Python function tasks shaped like MBPP: one sentence, three assert tests, a reference solution as
 * gold. Each family is a sentence template with numbers spelled in the function name, the pattern that
 * reads it back, the reference body, a plausible bug, and a Python-free way to compute expected results.
 */
public final class CodeTasks {

    public static final List<TaskFamily> FAMILIES = List.of(
            new Family(Pattern.compile("Write a function (times_([a-z]+)_plus_([a-z]+))\\(x\\) that returns x times (\\d+) plus (\\d+)\\."),
                    CodeTasks::timesPlus, (m, wrong) -> {
                int a = Integer.parseInt(m.group(4));
                int b = Integer.parseInt(m.group(5));
                return wrong ? new Body("return x * %d + %d".formatted(a, b + 1), "Multiply x by %d and add %d.".formatted(a, b + 1))
                        : new Body("return x * %d + %d".formatted(a, b), "Multiply x by %d and add %d.".formatted(a, b));
            }),
            new Family(Pattern.compile("Write a function (count_multiples_of_([a-z]+))\\(items\\) that returns how many numbers in items are multiples of (\\d+)\\."),
                    CodeTasks::countMultiples, (m, wrong) -> {
                int k = Integer.parseInt(m.group(3));
                return wrong ? new Body("return items.count(%d)".formatted(k), "Count how often %d appears in items.".formatted(k))
                        : new Body("return sum(1 for n in items if n %% %d == 0)".formatted(k), "Count the numbers n with n %% %d == 0.".formatted(k));
            }),
            new Family(Pattern.compile("Write a function (sum_above_([a-z]+))\\(items\\) that returns the sum of the numbers in items greater than (\\d+)\\."),
                    CodeTasks::sumAbove, (m, wrong) -> {
                int k = Integer.parseInt(m.group(3));
                return wrong ? new Body("return sum(n for n in items if n >= %d)".formatted(k), "Add up the numbers n with n >= %d.".formatted(k))
                        : new Body("return sum(n for n in items if n > %d)".formatted(k), "Add up the numbers n with n > %d.".formatted(k));
            }),
            new Family(Pattern.compile("Write a function (repeat_([a-z]+))\\(s\\) that returns the string s repeated (\\d+) times\\."),
                    CodeTasks::repeat, (m, wrong) -> {
                int k = Integer.parseInt(m.group(3));
                return wrong ? new Body("return s * %d".formatted(k - 1), "Repeat s with s * %d.".formatted(k - 1))
                        : new Body("return s * %d".formatted(k), "Repeat s with s * %d.".formatted(k));
            }),
            new Family(Pattern.compile("Write a function (clamp_([a-z]+)_to_([a-z]+))\\(x\\) that returns x limited to the range (\\d+) to (\\d+)\\."),
                    CodeTasks::clamp, (m, wrong) -> {
                int low = Integer.parseInt(m.group(4));
                int high = Integer.parseInt(m.group(5));
                return wrong ? new Body("return max(min(x, %d), %d)".formatted(low, high), "Take min with %d, then max with %d.".formatted(low, high))
                        : new Body("return min(max(x, %d), %d)".formatted(low, high), "Take max with %d, then min with %d.".formatted(low, high));
            }));

    private CodeTasks() {
    }

    /** The one-line body of a solution and the sentence that says what it does. */
    private record Body(String code, String sentence) {
    }

    /** What a generator produces: the task sentence and three (argument, expected) test cases in Python syntax. */
    private record Draft(String text, List<String[]> cases) {
    }

    private record Family(Pattern pattern, Function<Random, Draft> generator,
                          BiFunction<Matcher, Boolean, Body> bodies) implements TaskFamily {

        @Override
        public TaskKind kind() {
            return TaskKind.CODE;
        }

        @Override
        public GeneratedTask generate(Random random) {
            Draft draft = generator.apply(random);
            Matcher m = pattern.matcher(draft.text());
            if (!m.find()) {
                throw new IllegalStateException("template and pattern disagree on: " + draft.text());
            }
            String name = m.group(1);
            List<String> tests = draft.cases().stream()
                    .map(c -> "assert %s(%s) == %s".formatted(name, c[0], c[1])).toList();
            return new GeneratedTask(draft.text(), null, tests, program(m, bodies.apply(m, false)));
        }

        @Override
        public Optional<Solution> solve(String text, Random mistakes) {
            Matcher m = pattern.matcher(text);
            if (!m.find()) {
                return Optional.empty();
            }
            Body right = bodies.apply(m, false);
            Body wrong = bodies.apply(m, true);
            Step define = new Step("Define %s.".formatted(signature(m)), "def " + signature(m));
            return Optional.of(new Solution(TaskKind.CODE,
                    List.of(define, new Step(right.sentence(), right.code())), program(m, right),
                    new Step(wrong.sentence(), wrong.code()), program(m, wrong)));
        }

        private static String program(Matcher m, Body body) {
            return "def %s:\n    %s".formatted(signature(m), body.code());
        }

        /** "times_two_plus_one(x)": the function name and parameter the task sentence asks for. */
        private static String signature(Matcher m) {
            String sentence = m.group(0);
            return sentence.substring("Write a function ".length(), sentence.indexOf(')') + 1);
        }
    }

    private static Draft timesPlus(Random r) {
        int a = between(r, 2, 12);
        int b = between(r, 1, 20);
        List<String[]> cases = new ArrayList<>();
        for (int x : distinct(r, 3, 0, 15)) {
            cases.add(new String[]{String.valueOf(x), String.valueOf(x * a + b)});
        }
        return new Draft("Write a function times_%s_plus_%s(x) that returns x times %d plus %d."
                .formatted(word(a), word(b), a, b), cases);
    }

    private static Draft countMultiples(Random r) {
        int k = between(r, 2, 9);
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Integer> items = new ArrayList<>(distinct(r, between(r, 3, 6), 1, 30));
            if (i == 0) {
                items.removeIf(n -> n == k || n == 2 * k);
                items.addAll(List.of(k, 2 * k));  // so that counting only k itself fails a test
            }
            long expected = items.stream().filter(n -> n % k == 0).count();
            cases.add(new String[]{pythonList(items), String.valueOf(expected)});
        }
        return new Draft("Write a function count_multiples_of_%s(items) that returns how many numbers in items are multiples of %d."
                .formatted(word(k), k), cases);
    }

    private static Draft sumAbove(Random r) {
        int k = between(r, 1, 20);
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Integer> items = new ArrayList<>(distinct(r, between(r, 3, 5), 0, 30));
            if (i == 0 && !items.contains(k)) {
                items.add(k);  // so that ">=" fails a test
            }
            long expected = items.stream().filter(n -> n > k).mapToLong(Integer::longValue).sum();
            cases.add(new String[]{pythonList(items), String.valueOf(expected)});
        }
        return new Draft("Write a function sum_above_%s(items) that returns the sum of the numbers in items greater than %d."
                .formatted(word(k), k), cases);
    }

    private static Draft repeat(Random r) {
        int k = between(r, 2, 9);
        List<String> words = List.of("ab", "x", "hi", "abc", "zo", "q");
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String s = words.get((i * 2 + r.nextInt(2)) % words.size());
            cases.add(new String[]{"\"" + s + "\"", "\"" + s.repeat(k) + "\""});
        }
        return new Draft("Write a function repeat_%s(s) that returns the string s repeated %d times."
                .formatted(word(k), k), cases);
    }

    private static Draft clamp(Random r) {
        int low = between(r, 0, 10);
        int high = between(r, low + 2, 20);
        int[] xs = {low - between(r, 1, 5), between(r, low, high), high + between(r, 1, 5)};
        List<String[]> cases = new ArrayList<>();
        for (int x : xs) {
            cases.add(new String[]{String.valueOf(x), String.valueOf(Math.min(Math.max(x, low), high))});
        }
        return new Draft("Write a function clamp_%s_to_%s(x) that returns x limited to the range %d to %d."
                .formatted(word(low), word(high), low, high), cases);
    }

    private static List<Integer> distinct(Random r, int count, int low, int high) {
        List<Integer> values = new ArrayList<>();
        while (values.size() < count) {
            int v = between(r, low, high);
            if (!values.contains(v)) {
                values.add(v);
            }
        }
        return values;
    }

    private static String pythonList(List<Integer> items) {
        return items.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
