package io.twt.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The golden fixtures of ../shared/fixtures/lm (system property twt.shared.dir) and of src/test/resources, read in place. */
final class Fixtures {

    private Fixtures() {
    }

    static Path dir(String name) {
        String shared = System.getProperty("twt.shared.dir", "../../shared");
        return Path.of(shared, "fixtures", "lm", name);
    }

    /** A fixture committed with lm's tests (src/test/resources/fixtures, made by src/test/python). */
    static Path resource(String name) {
        return Path.of("src", "test", "resources", "fixtures", name);
    }

    static JsonNode golden(String name) {
        return goldenAt(dir(name));
    }

    static JsonNode goldenAt(Path fixture) {
        try {
            return new ObjectMapper().readTree(fixture.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[][] longs2(JsonNode node) {
        long[][] out = new long[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs(node.get(i));
        }
        return out;
    }

    static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    /** Largest |actual - expected| over a [B][T][V] logits array. */
    static double maxAbsDiff(float[][][] actual, JsonNode expected) {
        double worst = 0;
        for (int b = 0; b < actual.length; b++) {
            for (int t = 0; t < actual[b].length; t++) {
                for (int v = 0; v < actual[b][t].length; v++) {
                    worst = Math.max(worst, Math.abs(actual[b][t][v] - expected.get(b).get(t).get(v).asDouble()));
                }
            }
        }
        return worst;
    }
}
