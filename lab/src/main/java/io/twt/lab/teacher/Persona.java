package io.twt.lab.teacher;

import io.twt.lab.task.Step;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A lab teacher's character: how it writes rationales and replies, how often it is wrong, and how it rates
 * itself. Self-ratings are drawn around a level that is higher for right answers than for wrong ones, with
 * spreads wide enough that the two overlap, as LLM self-ratings do (paper appendix C, figures 10-12).
 */
public record Persona(String name, Style style, double errorRate, Calibration whenRight, Calibration whenWrong) {

    public enum Style { TERSE, STEP_BY_STEP, NARRATIVE }

    /** Self-rating level ~ Normal(mean, spread); each factor scatters around the level by {@link #FACTOR_SCATTER}. */
    public record Calibration(double mean, double spread) {
    }

    private static final double FACTOR_SCATTER = 0.015;

    public static final List<Persona> ROSTER = List.of(
            new Persona("lab-terse", Style.TERSE, 0.15, new Calibration(0.955, 0.03), new Calibration(0.86, 0.05)),
            new Persona("lab-stepwise", Style.STEP_BY_STEP, 0.10, new Calibration(0.962, 0.025), new Calibration(0.87, 0.05)),
            new Persona("lab-narrative", Style.NARRATIVE, 0.25, new Calibration(0.95, 0.035), new Calibration(0.88, 0.05)));

    public static Optional<Persona> named(String name) {
        return ROSTER.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    /** A self-rating level for an answer that is right or wrong, in [0, 1]. */
    double level(boolean right, Random random) {
        Calibration c = right ? whenRight : whenWrong;
        return clamp(c.mean() + c.spread() * random.nextGaussian());
    }

    /** One factor's rating around the level, rounded as a model would print it. */
    static double factor(double level, Random random) {
        return Math.round(clamp(level + FACTOR_SCATTER * random.nextGaussian()) * 100) / 100.0;
    }

    String rationale(List<Step> steps) {
        return switch (style) {
            case TERSE -> steps.stream().map(Step::working).collect(Collectors.joining("; "));
            case STEP_BY_STEP -> {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < steps.size(); i++) {
                    text.append(i == 0 ? "" : "\n").append("Step ").append(i + 1).append(": ").append(steps.get(i).sentence());
                }
                yield text.toString();
            }
            case NARRATIVE -> {
                StringBuilder text = new StringBuilder("Let me think it through.");
                for (int i = 0; i < steps.size(); i++) {
                    String sentence = steps.get(i).sentence();
                    String opener = i == 0 ? "First, " : i == steps.size() - 1 ? "Finally, " : "Then, ";
                    text.append(' ').append(opener).append(Character.toLowerCase(sentence.charAt(0))).append(sentence.substring(1));
                }
                yield text.toString();
            }
        };
    }

    /** The reply around the JSON object: bare, in a code fence, or between friendly sentences. */
    String reply(String compactJson, String prettyJson) {
        return switch (style) {
            case TERSE -> compactJson;
            case STEP_BY_STEP -> "```json\n" + prettyJson + "\n```";
            case NARRATIVE -> "Here is how I worked it out.\n\n" + prettyJson + "\n\nI hope this helps!";
        };
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
