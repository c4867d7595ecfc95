package io.twt.lab.task;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expressions of two one-digit numbers ("3 + 5", "9 - 2", "2 x 4") as the lab's choices and skills write them. */
public final class OneDigitExpression {

    private static final Pattern FORM = Pattern.compile("^(\\d) ([+x-]) (\\d)$");

    private OneDigitExpression() {
    }

    /**
     * A sum, difference or product of one-digit numbers worth {@code value} (0 to 18). The kind is drawn first,
     * so differences and products show up as often as sums, which have the most ways.
     */
    public static String worth(Random random, int value) {
        List<String> sums = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        List<String> products = new ArrayList<>();
        for (int a = Math.max(0, value - 9); a <= Math.min(9, value); a++) {
            sums.add("%d + %d".formatted(a, value - a));
        }
        for (int b = 1; value + b <= 9; b++) {
            differences.add("%d - %d".formatted(value + b, b));
        }
        for (int d = 2; d <= 9 && d * d <= value; d++) {
            if (value % d == 0 && value / d <= 9) {
                products.add("%d x %d".formatted(d, value / d));
            }
        }
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("no one-digit expression is worth " + value);
        }
        List<String> from = switch (random.nextInt(3)) {
            case 0 -> differences;
            case 1 -> products;
            default -> sums;
        };
        from = from.isEmpty() ? sums : from;
        return from.get(random.nextInt(from.size()));
    }

    /** The value of an expression in this form, or empty for any other text. */
    public static OptionalLong valueOf(String expression) {
        Matcher m = FORM.matcher(expression.strip());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long a = Long.parseLong(m.group(1));
        long b = Long.parseLong(m.group(3));
        return OptionalLong.of(switch (m.group(2)) {
            case "+" -> a + b;
            case "-" -> a - b;
            default -> a * b;
        });
    }
}
