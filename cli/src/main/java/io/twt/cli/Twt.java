package io.twt.cli;

import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./twt}: the command-line program in front of the stack (the shim at the repository root finds the JDK and
 * runs it). Every command answers {@code --help} before doing anything; errors are one line on stderr; the exit codes
 * are README's table: {@link #OK}, {@link #FAILED}, {@link #USAGE}, {@link #REJECTED_LINES}.
 */
@Command(name = "twt", mixinStandardHelpOptions = true, version = "twt 0.1.0",
        description = "Runs the TwT distillation stack on one machine without Docker, and talks to it.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, ServicesCommand.class, LogsCommand.class,
                PushCommand.class, ReportCommand.class, TrainCommand.class, ExperimentCommand.class,
                RedriveCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (a service down, a demo below its bar, a build or a request that failed)",
                "2:usage: an unknown command or option, a bad value, a missing file",
                "3:push: some lines were rejected (the valid ones were sent)", "130:interrupted (Ctrl-C)"})
public final class Twt implements Runnable {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int REJECTED_LINES = 3;

    final Checkout checkout;
    final Workspace workspace;

    Twt(Checkout checkout, Workspace workspace) {
        this.checkout = checkout;
        this.workspace = workspace;
    }

    public static void main(String[] args) {
        Checkout checkout = Checkout.current();
        System.exit(commandLine(checkout, Workspace.of(checkout)).execute(args));
    }

    /** The whole program, its delegated commands included, for a checkout and a workspace (tests give their own). */
    static CommandLine commandLine(Checkout checkout, Workspace workspace) {
        CommandLine commandLine = new CommandLine(new Twt(checkout, workspace)).setExpandAtFiles(false)
                .setParameterExceptionHandler(Twt::usageError)
                .setExecutionExceptionHandler((e, command, parseResult) -> failed(e, command));
        for (DelegatedCommand delegated : DelegatedCommand.all(checkout, workspace)) {
            CommandLine sub = new CommandLine(delegated).setUnmatchedOptionsArePositionalParams(true);
            sub.getCommandSpec().usageMessage().description(delegated.description());
            commandLine.addSubcommand(delegated.name(), sub);
        }
        // every subcommand's -V prints the program's version, not an empty line
        String[] version = commandLine.getCommandSpec().version();
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(version));
        return commandLine;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** One line: what was wrong and where the help is. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        System.err.println("twt: " + e.getMessage() + " (see " + command.getCommandSpec().qualifiedName() + " --help)");
        return USAGE;
    }

    /** One line, no stack trace: the failure's own message, or what kind of failure it was. */
    private static int failed(Exception e, CommandLine command) {
        String message = e instanceof NoSuchFileException missing ? "no such file: " + missing.getMessage()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        System.err.println(command.getCommandSpec().qualifiedName() + ": " + message);
        return FAILED;
    }
}
