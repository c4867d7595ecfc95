package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CUDA images and the GPU overlay agree with the build: the Dockerfiles' libtorch is the version DJL's
 * pytorch-jni is built for (the parent pom's pytorch.version) with the CUDA flavor its jar carries, and the overlay
 * runs that image with trainer settings trainer-service really reads. (The images themselves are not built here.)
 */
class GpuImageTest {

    private static final List<Path> DOCKERFILES = List.of(
            Manifests.ROOT.resolve("trainer-service/src/main/docker/Dockerfile.cuda"),
            Manifests.ROOT.resolve("eval-service/src/main/docker/Dockerfile.cuda"));

    @Test
    void cudaImagesCarryTheLibtorchDjlIsBuiltFor() throws IOException {
        String pom = Files.readString(Manifests.ROOT.resolve("pom.xml"));
        Matcher version = Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>").matcher(pom);
        assertTrue(version.find(), "pom.xml has no pytorch.version");
        for (Path dockerfile : DOCKERFILES) {
            Map<String, String> env = env(Files.readString(dockerfile));
            String text = Files.readString(dockerfile);
            assertEquals(version.group(1), env.get("PYTORCH_VERSION"), dockerfile.toString());
            // pytorch-jni 2.7.1-0.36.0 carries jnilib/linux-x86_64/cu128/libdjl_torch.so: the base must be CUDA 12.8
            assertEquals("cu128", env.get("PYTORCH_FLAVOR"), dockerfile.toString());
            assertTrue(text.contains("FROM pytorch/pytorch:" + version.group(1) + "-cuda12.8-"), dockerfile.toString());
            assertEquals("/opt/libtorch", env.get("PYTORCH_LIBRARY_PATH"), dockerfile.toString());
        }
    }

    @Test
    void gpuOverlayRunsTheCudaTrainerWithSettingsItReads() {
        JsonNode trainer = Kustomize.render("overlays/gpu").workload("trainer-service").at("/spec/template/spec/containers/0");
        assertEquals("twt/trainer-service-cuda:0.1.0", trainer.path("image").asText());
        Set<String> known = ServiceConfigKeys.of("trainer-service");
        Map<String, String> env = new HashMap<>();
        trainer.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        List<String> unknown = new ArrayList<>();
        for (String name : List.of("TWT_TRAINER_TRAINING_DTYPE", "TWT_TRAINER_TRAINING_ATTENTION_CHUNK",
                "TWT_TRAINER_TRAINING_RECOMPUTE")) {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), "trainer-service reads no " + unknown);
        assertEquals("float16", env.get("TWT_TRAINER_TRAINING_DTYPE"));
        assertEquals("true", env.get("TWT_TRAINER_TRAINING_RECOMPUTE"));
    }

    /** The ENV lines of a Dockerfile (continued with backslashes), KEY=value pairs. */
    private static Map<String, String> env(String dockerfile) {
        Map<String, String> env = new HashMap<>();
        Matcher block = Pattern.compile("(?m)^ENV ((?:.*\\\\\\n)*.*)$").matcher(dockerfile);
        while (block.find()) {
            Matcher pair = Pattern.compile("([A-Z_]+)=(\\S+)").matcher(block.group(1));
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2));
            }
        }
        return env;
    }
}
