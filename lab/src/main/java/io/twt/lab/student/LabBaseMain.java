package io.twt.lab.student;

import io.twt.lab.skills.SkillCorpus;
import io.twt.lm.TrainingProgress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code LabBaseMain [--cache DIR] [--spec standard|smoke] [--score N]}: makes (once) the lab's pretrained base
 * student and prints its directory as the last line of stdout; the launcher passes that directory to the services.
 * Progress goes to stderr: a bar redrawn in place on a terminal, a line every 5% elsewhere. {@code --score N}
 * also prints, to stderr, its accuracy on N skill examples of another seed than its corpus.
 */
public final class LabBaseMain {

    private LabBaseMain() {
    }

    public static void main(String[] args) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "twt");
        LabBaseSpec spec = LabBaseSpec.standard();
        int score = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cache" -> cache = Path.of(args[++i]);
                case "--spec" -> spec = switch (args[++i]) {
                    case "standard" -> LabBaseSpec.standard();
                    case "smoke" -> LabBaseSpec.smoke();
                    default -> usage("unknown spec " + args[i]);
                };
                case "--score" -> score = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: LabBaseMain [--cache DIR] [--spec standard|smoke] [--score N]");
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        Path existing = LabBase.dirFor(cache, spec);
        if (existing.resolve(LabBase.MANIFEST).toFile().exists()) {
            System.err.println("lab base student: cached in " + existing);
        } else {
            System.err.println("lab base student: pretraining once on the skill corpus (" + spec.describe() + ")");
        }
        long started = System.nanoTime();
        Path dir = LabBase.ensure(cache, spec, new ProgressBar(System.err, System.console() != null));
        System.err.printf("lab base student ready in %.0f s: %s%n", (System.nanoTime() - started) / 1e9, dir);
        if (score > 0) {
            Set<String> seen = SkillCorpus.generate(spec.examples(), spec.seed()).stream()
                    .map(SkillCorpus.SkillExample::prompt).collect(Collectors.toSet());
            List<SkillCorpus.SkillExample> unseen = SkillCorpus.generate(score, spec.seed() + 1_000).stream()
                    .filter(e -> !seen.contains(e.prompt())).toList();
            System.err.printf("skills on %d examples not in the corpus:%n", unseen.size());
            SkillScore.score(dir, unseen, 64).forEach((shape, tally) ->
                    System.err.printf("  %-40s %5.1f%% of %d%n", shape, 100 * tally.accuracy(), tally.asked()));
        }
        System.out.println(dir);
    }

    private static LabBaseSpec usage(String problem) {
        System.err.println(problem + "; usage: LabBaseMain [--cache DIR] [--spec standard|smoke] [--score N]");
        System.exit(2);
        return null;
    }

    /** One line of pretraining progress: bar, step, loss, rate and ETA. */
    static final class ProgressBar implements io.twt.lm.TrainingListener {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final boolean terminal;
        private int lastPercent = -1;

        ProgressBar(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public void onStep(TrainingProgress p) {
            int percent = (int) (100L * p.step() / p.totalSteps());
            boolean done = p.step() == p.totalSteps();
            if (!terminal && percent / 5 == lastPercent / 5 && !done) {
                return;
            }
            lastPercent = percent;
            int filled = WIDTH * p.step() / p.totalSteps();
            String line = "pretraining [%s%s] %3d%% step %d/%d loss %.3f %.0f tokens/s ETA %dm%02ds".formatted(
                    "#".repeat(filled), ".".repeat(WIDTH - filled), percent, p.step(), p.totalSteps(), p.loss(),
                    p.tokensPerSecond(), p.eta().toMinutes(), p.eta().toSecondsPart());
            out.print(terminal ? "\r" + line + (done ? "\n" : "") : line + "\n");
            out.flush();
        }
    }
}
