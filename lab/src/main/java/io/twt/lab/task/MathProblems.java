package io.twt.lab.task;

import static io.twt.lab.task.Numbers.between;
import static io.twt.lab.task.Numbers.nearMiss;
import static io.twt.lab.task.Numbers.pick;

import io.twt.common.TaskKind;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-step arithmetic word problems (GSM8K-shaped, kept short for a tiny student); answers are whole numbers.
 * Each family is a text template and the pattern that reads it back. Every number in a question is one digit and
 * answers run from 1 to 29: a teacher still works out two steps, and a 1.8M-parameter student can learn to do them
 * without writing them out (bench/learning/README.md: one-digit two-step sums 96% held-out from scratch, while
 * products of two-digit numbers stay out of reach of the 2-core budget).
 */
public final class MathProblems {

    private static final List<String> NAMES = List.of("Sam", "Mia", "Ben", "Ana", "Leo", "Zoe", "Tom", "Eva");
    private static final List<String> ITEMS = List.of("pens", "apples", "cards", "stickers", "shells", "beads");

    public static final List<TaskFamily> FAMILIES = List.of(
            new Family(Pattern.compile("A box holds (\\d+) (\\w+)\\. \\w+ buys (\\d+) boxes and gives away (\\d+) \\w+\\. How many \\w+ are left\\?"),
                    MathProblems::boxes, MathProblems::solveBoxes),
            new Family(Pattern.compile("\\w+ has (\\d+) coins and earns (\\d+) coins a day for (\\d+) days, then spends (\\d+)\\. How many coins are left\\?"),
                    MathProblems::coins, MathProblems::solveCoins),
            new Family(Pattern.compile("A cart goes (\\d+) km an hour for (\\d+) hours, then (\\d+) km more\\. How many km does it go in all\\?"),
                    MathProblems::train, MathProblems::solveTrain),
            new Family(Pattern.compile("(\\d+) friends share (\\d+) (\\w+) equally, and each also gets (\\d+) more\\. How many \\w+ does each friend get\\?"),
                    MathProblems::share, MathProblems::solveShare));

    private MathProblems() {
    }

    private record Family(Pattern pattern, Function<Random, String> generator,
                          Function<Matcher, Worked> solver) implements TaskFamily {

        @Override
        public TaskKind kind() {
            return TaskKind.MATH;
        }

        @Override
        public GeneratedTask generate(Random random) {
            String text = generator.apply(random);
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                throw new IllegalStateException("template and pattern disagree on: " + text);
            }
            return new GeneratedTask(text, null, null, String.valueOf(solver.apply(matcher).result()));
        }

        @Override
        public Optional<Solution> solve(String text, Random mistakes) {
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                return Optional.empty();
            }
            Worked worked = solver.apply(matcher);
            long wrong = nearMiss(mistakes, worked.result());
            Step wrongStep = worked.last(wrong);
            return Optional.of(new Solution(TaskKind.MATH, List.of(worked.first(), worked.last(worked.result())),
                    String.valueOf(worked.result()), wrongStep, String.valueOf(wrong)));
        }
    }

    /** The two steps of a problem: the first is fixed, the last is written for whichever result a teacher reaches. */
    private record Worked(Step first, Function<Long, Step> lastFor, long result) {
        Step last(long value) {
            return lastFor.apply(value);
        }
    }

    private static String boxes(Random r) {
        int perBox = between(r, 2, 5);
        int boxes = between(r, 2, 4);
        int given = between(r, 1, Math.min(9, perBox * boxes - 1));
        String item = pick(r, ITEMS);
        return "A box holds %d %s. %s buys %d boxes and gives away %d %s. How many %s are left?"
                .formatted(perBox, item, pick(r, NAMES), boxes, given, item, item);
    }

    private static Worked solveBoxes(Matcher m) {
        long perBox = Long.parseLong(m.group(1));
        String item = m.group(2);
        long boxes = Long.parseLong(m.group(3));
        long given = Long.parseLong(m.group(4));
        long total = boxes * perBox;
        return new Worked(
                new Step("%d boxes of %d %s make %d x %d = %d %s.".formatted(boxes, perBox, item, boxes, perBox, total, item),
                        "%d*%d=%d".formatted(boxes, perBox, total)),
                v -> new Step("Giving away %d leaves %d - %d = %d.".formatted(given, total, given, v),
                        "%d-%d=%d".formatted(total, given, v)),
                total - given);
    }

    private static String coins(Random r) {
        int start = between(r, 1, 9);
        int perDay = between(r, 2, 4);
        int days = between(r, 2, 3);
        int spent = between(r, 1, 9);
        return "%s has %d coins and earns %d coins a day for %d days, then spends %d. How many coins are left?"
                .formatted(pick(r, NAMES), start, perDay, days, spent);
    }

    private static Worked solveCoins(Matcher m) {
        long start = Long.parseLong(m.group(1));
        long perDay = Long.parseLong(m.group(2));
        long days = Long.parseLong(m.group(3));
        long spent = Long.parseLong(m.group(4));
        long earned = perDay * days;
        return new Worked(
                new Step("%d days at %d coins a day is %d x %d = %d coins.".formatted(days, perDay, days, perDay, earned),
                        "%d*%d=%d".formatted(days, perDay, earned)),
                v -> new Step("%d + %d - %d = %d coins are left.".formatted(start, earned, spent, v),
                        "%d+%d-%d=%d".formatted(start, earned, spent, v)),
                start + earned - spent);
    }

    private static String train(Random r) {
        return "A cart goes %d km an hour for %d hours, then %d km more. How many km does it go in all?"
                .formatted(between(r, 2, 5), between(r, 2, 4), between(r, 1, 9));
    }

    private static Worked solveTrain(Matcher m) {
        long speed = Long.parseLong(m.group(1));
        long hours = Long.parseLong(m.group(2));
        long more = Long.parseLong(m.group(3));
        long first = speed * hours;
        return new Worked(
                new Step("In %d hours it goes %d x %d = %d km.".formatted(hours, speed, hours, first),
                        "%d*%d=%d".formatted(speed, hours, first)),
                v -> new Step("Adding %d km gives %d + %d = %d km.".formatted(more, first, more, v),
                        "%d+%d=%d".formatted(first, more, v)),
                first + more);
    }

    private static String share(Random r) {
        int friends = between(r, 2, 4);
        int each = between(r, 1, 5);
        String item = pick(r, ITEMS);
        return "%d friends share %d %s equally, and each also gets %d more. How many %s does each friend get?"
                .formatted(friends, friends * each, item, between(r, 1, 9), item);
    }

    private static Worked solveShare(Matcher m) {
        long friends = Long.parseLong(m.group(1));
        long total = Long.parseLong(m.group(2));
        String item = m.group(3);
        long more = Long.parseLong(m.group(4));
        long each = total / friends;
        return new Worked(
                new Step("%d %s for %d friends is %d / %d = %d each.".formatted(total, item, friends, total, friends, each),
                        "%d/%d=%d".formatted(total, friends, each)),
                v -> new Step("With %d more each gets %d + %d = %d.".formatted(more, each, more, v),
                        "%d+%d=%d".formatted(each, more, v)),
                each + more);
    }
}
