package io.twt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A command another module's main class owns ({@code lm}, {@code eval}, {@code export}): run on that module's
 * classpath with every argument passed on, {@code --help} included (each prints its own usage and exits 0).
 */
@Command
final class DelegatedCommand implements Callable<Integer> {

    private final String name;
    private final String description;
    private final Checkout checkout;
    /** the module whose jars run it: a plain module's name, or a service's */
    private final String module;
    private final List<String> mainClassAndOptions;

    @Parameters(paramLabel = "ARGS", description = "passed on")
    List<String> args = new ArrayList<>();

    private DelegatedCommand(String name, String description, Checkout checkout, String module,
                             List<String> mainClassAndOptions) {
        this.name = name;
        this.description = description;
        this.checkout = checkout;
        this.module = module;
        this.mainClassAndOptions = mainClassAndOptions;
    }

    static List<DelegatedCommand> all(Checkout checkout, Workspace workspace) {
        String store = System.getenv().getOrDefault("TWT_MODEL_STORE", workspace.dir().resolve("models").toString());
        return List.of(
                new DelegatedCommand("lm", "The student model: init, train, generate, forward, serve (OpenAI-compatible),"
                        + " plan; ./twt lm --help", checkout, "lm", List.of("io.twt.lm.cli.LmCli")),
                new DelegatedCommand("eval", "Scores a model, or predictions made elsewhere, on a benchmark file;"
                        + " ./twt eval --help", checkout, "eval-service", List.of("io.twt.eval.cli.EvalCli")),
                new DelegatedCommand("export", "A stage's distilled dataset as JSONL (messages|prompt-completion|sharegpt|"
                        + "alpaca); ./twt export --help", checkout, "trainer-service",
                        List.of("io.twt.trainer.cli.ExportCli", "--store", store)));
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    @Override
    public Integer call() throws Exception {
        boolean service = Service.names().contains(module);
        checkout.ensureBuilt(service ? List.of() : List.of(module), service ? List.of(Service.named(module)) : List.of());
        String classpath = service ? checkout.quarkusClasspath(module) : checkout.classpath(module);
        List<String> command = new ArrayList<>(List.of(checkout.java(), "-Dai.djl.offline=true", "-cp", classpath));
        command.addAll(mainClassAndOptions);
        command.addAll(args);
        Process process = new ProcessBuilder(command).inheritIO().start();
        // a stopped ./twt stops what it runs
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        return process.waitFor();
    }
}
