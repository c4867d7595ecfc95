package io.twt.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Headless Debian chromium for page tests: no sandbox (root in CI), no network beyond the page, a fresh profile. */
final class Chromium {

    private static final long TIMEOUT_SECONDS = 90;

    private Chromium() {
    }

    static String fetch(URL url) throws IOException {
        try (var in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String dumpDom(String url) throws Exception {
        return run(List.of("--dump-dom", url));
    }

    static Path screenshot(String url, Path png, int width, int height) throws Exception {
        run(List.of("--window-size=" + width + "," + height, "--screenshot=" + png, url));
        assertTrue(Files.exists(png), "chromium wrote no screenshot");
        return png;
    }

    /** A rendered page, not an empty one: many colours, and a fair share of pixels that are not background. */
    static void assertNotBlank(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    inked++;
                }
            }
        }
        long sampled = (long) (image.getHeight() / 2) * (image.getWidth() / 2);
        assertTrue(colours.size() > 20, "only " + colours.size() + " colours in " + png);
        assertTrue(inked > sampled / 50, "only " + inked + " of " + sampled + " sampled pixels are not white in " + png);
    }

    private static String run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile-");
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        command.addAll(args);
        Path stdout = Files.createTempFile("chromium-", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + "s");
        }
        return Files.readString(stdout);
    }
}
