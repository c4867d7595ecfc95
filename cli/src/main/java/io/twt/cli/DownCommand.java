package io.twt.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ./twt down}: stops every process {@code ./twt up} started, by pid. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stops every process ./twt up started (services, lab teachers, Kafka), by pid file.")
final class DownCommand implements Callable<Integer> {

    @ParentCommand
    Twt twt;

    @Override
    public Integer call() throws Exception {
        new Stack(twt.workspace, twt.checkout).down(System.out);
        return Twt.OK;
    }
}
