package io.twt.trainer.cli;

import io.twt.trainer.domain.DatasetExport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./twt export --stage 1|2|3 [--round N] --format messages|prompt-completion|sharegpt|alpaca [--out FILE]
 * [--store DIR]}: a stage's distilled dataset from the model store as JSONL, to stdout or a file. Reads the store
 * without changing it, so it runs beside a running trainer.
 */
public final class ExportCli {

    private static final String USAGE = "usage: export --stage N [--round N] --format messages|prompt-completion|sharegpt|alpaca"
            + " [--out FILE] [--store DIR]";

    private ExportCli() {
    }

    public static void main(String[] argv) {
        try {
            Integer stage = null;
            Integer round = null;
            String format = null;
            Path out = null;
            Path store = Path.of(System.getenv().getOrDefault("TWT_MODEL_STORE", ".twt/models"));
            for (int i = 0; i < argv.length; i++) {
                String option = argv[i];
                if (option.equals("--help")) {
                    System.out.println(USAGE);
                    return;
                }
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
                }
                String value = argv[++i];
                switch (option) {
                    case "--stage" -> stage = Integer.parseInt(value);
                    case "--round" -> round = Integer.parseInt(value);
                    case "--format" -> format = value;
                    case "--out" -> out = Path.of(value);
                    case "--store" -> store = Path.of(value);
                    case "--experiment" -> throw new IllegalArgumentException("each recipe of an experiment trains as its own"
                            + " round: export it with --round N (GET /experiments/ID names each recipe's round)");
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                }
            }
            if (stage == null || format == null) {
                throw new IllegalArgumentException("--stage and --format are required\n" + USAGE);
            }
            DatasetExport.Format layout = DatasetExport.Format.of(format);
            List<DatasetExport.Line> lines = DatasetExport.lines(store, stage, round);
            if (out == null) {
                DatasetExport.write(lines, layout, new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            } else {
                try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    DatasetExport.write(lines, layout, writer);
                }
                System.err.printf("export: %d examples of round %d stage %d (%s) -> %s%n", lines.size(), lines.get(0).round(),
                        stage, format, out);
            }
        } catch (IllegalArgumentException | UncheckedIOException | IOException e) {
            System.err.println("export: " + e.getMessage());
            System.exit(2);
        }
    }
}
