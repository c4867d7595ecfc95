package io.twt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./twt logs NAME [-f]}: the end of a process's log, or following it. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Shows the end of a process's log (kafka, lab-teachers or a service), or follows it with -f.")
final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    Twt twt;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "kafka, lab-teachers or a service")
    String name;

    @Option(names = {"-f", "--follow"}, description = "keep printing what is appended")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        Path log = twt.workspace.logFile(name);
        if (!Files.isRegularFile(log)) {
            throw new ParameterException(spec.commandLine(), "no log for " + name + " (known: " + known(log.getParent()) + ")");
        }
        List<String> tail = follow ? List.of("tail", "-n", "100", "-f", log.toString()) : List.of("tail", "-n", "200", log.toString());
        return new ProcessBuilder(tail).inheritIO().start().waitFor();
    }

    private static String known(Path logs) throws Exception {
        if (!Files.isDirectory(logs)) {
            return "none yet";
        }
        try (Stream<Path> files = Files.list(logs)) {
            return String.join(" ", files.map(f -> f.getFileName().toString().replaceFirst("\\.log$", "")).sorted().toList());
        }
    }
}
