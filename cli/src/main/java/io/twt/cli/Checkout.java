package io.twt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkout {@code ./twt} runs from (the shim passes it as {@code -Dtwt.root}): where each module's jars are, the
 * JDK running this program, and the build that makes what is missing.
 */
record Checkout(Path root) {

    private static final String VERSION = "0.1.0-SNAPSHOT";

    static Checkout current() {
        return new Checkout(Path.of(System.getProperty("twt.root", ".")).toAbsolutePath().normalize());
    }

    /** The JDK this program runs on: the shim found it with bin/jdk.sh. */
    String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Path serviceJar(Service service) {
        return root.resolve(service.serviceName()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** A plain module's jar and its copied runtime dependencies ({@code target/lib}). */
    String classpath(String module) {
        return root.resolve(module).resolve("target/lib") + "/*:" + moduleJar(module);
    }

    /** A Quarkus module's application and libraries, for a main class other than the service's own. */
    String quarkusClasspath(String module) {
        Path app = root.resolve(module).resolve("target/quarkus-app");
        return app.resolve("lib/main") + "/*:" + app.resolve("app") + "/*";
    }

    /** Builds the modules when any of them is missing (reactor {@code package}: the shared Maven repository is left alone). */
    void ensureBuilt(List<String> modules, List<Service> services) throws IOException, InterruptedException {
        boolean missing = modules.stream().anyMatch(m -> !Files.isRegularFile(moduleJar(m)))
                || services.stream().anyMatch(s -> !Files.isRegularFile(serviceJar(s)));
        if (missing) {
            Console.log("building (first run only): ./mvnw -B -q package -DskipTests");
            int status = new ProcessBuilder("./mvnw", "-B", "-q", "package", "-DskipTests").directory(root.toFile())
                    .inheritIO().start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("build failed (./mvnw -B -q package -DskipTests exited " + status + ")");
            }
        }
    }

    private Path moduleJar(String module) {
        return root.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
    }
}
