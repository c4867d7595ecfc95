package io.twt.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every Kustomize target of {@code k8s/} (the base and each overlay) rendered the way {@code kubectl apply -k}
 * renders it, with {@code kubectl kustomize}. Without kubectl on the PATH the tests that need it are skipped.
 */
final class Kustomize {

    private static final Path K8S = Manifests.ROOT.resolve("k8s");
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();
    private static final boolean AVAILABLE = kubectlWorks();

    private Kustomize() {
    }

    /** Skips the calling test, with the reason, when kubectl is missing. */
    static void assumeAvailable() {
        assumeTrue(AVAILABLE, "kubectl (with its built-in kustomize) is not on the PATH: rendered-manifest checks skipped");
    }

    /** "base" and "overlays/NAME" for every directory holding a kustomization.yaml there. */
    static List<String> targets() {
        List<String> targets = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(dir -> Files.exists(dir.resolve("kustomization.yaml")))
                    .map(dir -> "overlays/" + dir.getFileName()).sorted().forEach(targets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    static List<Rendered> renderAll() {
        assumeAvailable();
        return targets().stream().map(Kustomize::render).toList();
    }

    static Rendered render(String target) {
        assumeAvailable();
        return CACHE.computeIfAbsent(target, Kustomize::build);
    }

    private static Rendered build(String target) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", K8S.resolve(target).toString())
                    .redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize k8s/" + target + " failed: " + err);
            }
            List<JsonNode> documents = new ArrayList<>();
            try (YAMLParser parser = ((YAMLFactory) Manifests.YAML.getFactory()).createParser(out)) {
                for (JsonNode node : Manifests.YAML.readValues(parser, JsonNode.class).readAll()) {
                    if (node != null && !node.isEmpty()) {
                        documents.add(node);
                    }
                }
            }
            return new Rendered(target, documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean kubectlWorks() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One target's output: what {@code kubectl apply -k k8s/TARGET} would send to the cluster. */
    record Rendered(String target, List<JsonNode> documents) {

        List<JsonNode> ofKind(String kind) {
            return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        }

        Optional<JsonNode> find(String kind, String name) {
            return ofKind(kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst();
        }

        JsonNode one(String kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError(target + " renders no " + kind + " " + name));
        }

        /** The workload (Deployment or StatefulSet) of a service. */
        JsonNode workload(String name) {
            return find("Deployment", name).or(() -> find("StatefulSet", name))
                    .orElseThrow(() -> new AssertionError(target + " renders no workload " + name));
        }

        String describe(JsonNode document) {
            return "k8s/" + target + ": " + document.path("kind").asText() + " " + document.at("/metadata/name").asText();
        }

        @Override
        public String toString() {
            return "k8s/" + target;
        }
    }
}
