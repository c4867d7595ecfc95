package io.twt.cli;

import io.twt.common.EvalReport;
import io.twt.common.Topic;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./twt report [--json] [--experiment ID]}: the results table from {@code twt.eval-reports}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints the results table (the paper's Table 2) from twt.eval-reports, or with --json the results rows.")
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    Twt twt;

    @Option(names = "--json", description = "the results rows as JSON instead of the table")
    boolean json;

    @Option(names = "--experiment", paramLabel = "ID", description = "an experiment's Tables 1 and 2 instead")
    String experiment;

    @Override
    public Integer call() throws Exception {
        return experiment != null
                ? ExperimentCommand.report(twt.workspace, experiment, json, System.out)
                : report(twt.workspace.kafkaBootstrap(), json, System.out);
    }

    /** The results table, or with {@code json} the same as results rows ({@link ResultRows}). */
    static int report(String bootstrap, boolean json, PrintStream out) {
        try (KafkaView view = new KafkaView(bootstrap)) {
            List<EvalReport> reports = EvalReport.withoutExperimentBaselines(
                    view.latestByKey(Topic.EVAL_REPORTS, EvalReport.class).values());
            if (reports.isEmpty()) {
                System.err.println("no eval reports yet on " + Topic.EVAL_REPORTS.topicName());
                return Twt.FAILED;
            }
            out.print(json ? ResultRows.json(reports) : ResultsTable.render(reports));
            return Twt.OK;
        }
    }
}
