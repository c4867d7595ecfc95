package io.twt.lab;

import io.twt.common.Query;
import io.twt.common.QueryPurpose;
import io.twt.common.RecordCodec;
import io.twt.common.TaskKind;
import io.twt.lab.task.ChoiceQuestions;
import io.twt.lab.task.CodeTasks;
import io.twt.lab.task.GeneratedTask;
import io.twt.lab.task.MathProblems;
import io.twt.lab.task.Solution;
import io.twt.lab.task.TaskFamily;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The lab's task API: deterministic queries with gold labels for the three task kinds, split into train and
 * eval by text (so the splits never share a query), and the solver the lab teachers answer with.
 * As a program it writes queries as JSON lines:
 * {@code LabTasks --kind math|mcq|code|all --split train|eval --count N [--seed S] [--out FILE]}.
 */
public final class LabTasks {

    public static final String SOURCE = "lab";
    // how many generated tasks may be thrown away (other split, repeated text) per task kept, before giving up
    private static final int ATTEMPTS_PER_TASK = 200;
    private static final RecordCodec<Query> QUERIES = RecordCodec.of(Query.class);

    private LabTasks() {
    }

    public static List<TaskFamily> families(TaskKind kind) {
        return switch (kind) {
            case MATH -> MathProblems.FAMILIES;
            case MCQ -> ChoiceQuestions.FAMILIES;
            case CODE -> CodeTasks.FAMILIES;
        };
    }

    /**
     * {@code count} distinct queries of one kind and split; the same arguments give the same queries (ids,
     * texts, choices, tests, gold). Gold is the number (math), the letter (mcq) or a reference program (code).
     */
    public static List<Query> generate(TaskKind kind, Split split, int count, long seed) {
        List<TaskFamily> families = families(kind);
        Random random = new Random(seed * 31 + kind.ordinal());
        List<Query> queries = new ArrayList<>();
        Set<String> texts = new HashSet<>();
        long attempts = (long) count * ATTEMPTS_PER_TASK;
        while (queries.size() < count) {
            if (attempts-- == 0) {
                throw new IllegalArgumentException("the lab has only " + queries.size() + " distinct " + kind.wire()
                        + " tasks in the " + split.wire() + " split, " + count + " were asked for");
            }
            GeneratedTask task = families.get(random.nextInt(families.size())).generate(random);
            // the choices are part of what a query asks: some questions differ only in them
            String asked = task.choices() == null ? task.text() : task.text() + "\n" + task.choices();
            if (Split.of(asked) == split && texts.add(asked)) {
                // the eval split is for evaluation only: teachers answer it, G never holds it
                queries.add(Query.of(idOf(kind, task), kind, task.text(), task.choices(), task.tests(), SOURCE, task.gold())
                        .withPurpose(split == Split.EVAL ? QueryPurpose.EVAL : QueryPurpose.DISTIL));
            }
        }
        return queries;
    }

    /** Works out the lab task contained in {@code text} (a prompt that quotes it), if there is one. */
    public static Optional<Solution> solve(String text, Random mistakes) {
        for (TaskKind kind : TaskKind.values()) {
            for (TaskFamily family : families(kind)) {
                Optional<Solution> solution = family.solve(text, mistakes);
                if (solution.isPresent()) {
                    return solution;
                }
            }
        }
        return Optional.empty();
    }

    private static String idOf(TaskKind kind, GeneratedTask task) {
        String content = task.text() + "\n" + task.choices() + "\n" + task.tests();
        return "lab-" + kind.wire() + "-" + HexFormat.of().formatHex(Split.digest(content), 0, 6);
    }

    public static void main(String[] args) throws IOException {
        List<TaskKind> kinds = List.of(TaskKind.values());
        Split split = Split.TRAIN;
        int count = 100;
        long seed = 1;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kind" -> kinds = args[++i].equals("all") ? List.of(TaskKind.values()) : List.of(TaskKind.fromWire(args[i]));
                case "--split" -> split = Split.fromName(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: LabTasks --kind math|mcq|code|all"
                            + " --split train|eval --count N [--seed S] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        Split chosen = split;
        int perKind = count;
        long chosenSeed = seed;
        Stream<Query> queries = kinds.stream().flatMap(k -> generate(k, chosen, perKind, chosenSeed).stream());
        if (out == null) {
            PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            queries.forEach(q -> stdout.println(QUERIES.encodeString(q)));
            stdout.flush();
        } else {
            try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (Query q : (Iterable<Query>) queries::iterator) {
                    writer.write(QUERIES.encodeString(q));
                    writer.write('\n');
                }
            }
        }
    }
}
